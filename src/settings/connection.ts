// The connection: token, API scope (Integrations or Workspace API) and hosts.
import type { ApiScope } from '../applivery/types.js'
import { checkToken, InputError, parseId, parseServiceUrl, type InputReader } from './inputs.js'
import type { Connection } from './types.js'

export function parseConnection(read: InputReader): Connection {
  const token = read('token')
  if (token === '') {
    throw new InputError(
      'token',
      'is empty. Pass an App API token or a Service Account token from a secret, e.g. token: ${{ secrets.APPLIVERY_TOKEN }}. ' +
        'Workflows triggered by pull requests from forks receive no secrets.'
    )
  }
  checkToken('token', token)
  const organizationId = parseId('organization-id', read('organization-id'))
  const appId = parseId('app-id', read('app-id'))
  if ((organizationId === undefined) !== (appId === undefined)) {
    const missing = organizationId === undefined ? 'organization-id' : 'app-id'
    throw new InputError(
      missing,
      'is required together with ' +
        `${missing === 'app-id' ? 'organization-id' : 'app-id'}: set both to use the Workspace API with a Service Account token, ` +
        'or neither to use the Integrations API with an App API token'
    )
  }
  const scope: ApiScope =
    organizationId !== undefined && appId !== undefined ? { kind: 'workspace', organizationId, appId } : { kind: 'integrations' }
  return {
    token,
    scope,
    apiUrl: parseServiceUrl('api-url', read('api-url')),
    uploadUrl: parseServiceUrl('upload-url', read('upload-url'))
  }
}
