// Only the names @actions/http-client and @actions/github import. The action sends its requests through
// node:http with http-client's agents, so none of these is ever constructed.
const unavailable = (name) =>
  class {
    constructor() {
      throw new Error(`undici.${name} is not bundled with this action`)
    }
  }

export const ProxyAgent = unavailable('ProxyAgent')
export const fetch = () => {
  throw new Error('undici.fetch is not bundled with this action')
}
