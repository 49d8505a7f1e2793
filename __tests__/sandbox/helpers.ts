// What the sandbox's tests share: the test file's sandbox (`sb`), and requests to its hosts.
import { beforeAll, expect } from '@jest/globals'
import { sandboxForTests } from '../../harness/jest.js'
import type { Sandbox, SandboxOptions, StoredBuild } from '../../sandbox/index.js'

export const DELAY = 200
export const INT = '/v1/integrations/builds'
export const ws = (org = 'org-1', app = 'app-1'): string => `/v1/organizations/${org}/apps/${app}/builds`
export const GH = '/repos/acme/mobile-app/issues'

/** One entry of a 6002 answer's `data.errors`, as Joi gives it. */
export interface FieldError {
  field: (string | number)[]
  location: string
  messages: string[]
  types: string[]
}
export interface Envelope {
  status: boolean
  data?: unknown
  error?: { code: number; message: string; data?: { errors: FieldError[] } }
}
export interface Answer<T = Envelope> {
  status: number
  headers: Headers
  json: T
}
/** `body`: sent as is when a string or FormData, as JSON otherwise. */
export type Init = { method?: string; token?: string; scheme?: string; body?: unknown; headers?: Record<string, string> }

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The test file's sandbox, once useSandbox's beforeAll has run (a live binding: read it inside tests and hooks). */
export let sb: Sandbox

/** Starts the test file's sandbox before its tests, resets it before each and closes it after them. */
export function useSandbox(options: SandboxOptions): void {
  const sandbox = sandboxForTests(options)
  beforeAll(() => {
    sb = sandbox()
  })
}

export async function call<T = Envelope>(
  base: string,
  path: string,
  { method = 'GET', token, scheme = 'Bearer', body, headers: extra }: Init = {}
): Promise<Answer<T>> {
  const raw = body === undefined || typeof body === 'string' || body instanceof FormData
  const headers: Record<string, string> = raw ? { ...extra } : { 'content-type': 'application/json', ...extra }
  if (token) headers.authorization = `${scheme} ${token}`
  const res = await fetch(base + path, { method, headers, body: raw ? (body as string | FormData | undefined) : JSON.stringify(body) })
  return { status: res.status, headers: res.headers, json: (await res.json()) as T }
}

export const api = (path: string, init?: Init): Promise<Answer> => call(sb.apiUrl, path, init)
export const up = (path: string, init?: Init): Promise<Answer> => call(sb.uploadUrl, path, { method: 'POST', ...init })
/** The GitHub host, with the write token unless told otherwise. */
export const gh = <T = unknown>(path: string, init: Init = {}): Promise<Answer<T>> =>
  call<T>(sb.githubUrl, path, { token: sb.githubTokens.write, scheme: 'token', ...init })
export const install = (slug: string, query = ''): Promise<Answer<Record<string, unknown>>> => call(sb.apiUrl, `/install/${slug}${query}`)

export function form(
  file: { field?: string; name: string; content: string | Uint8Array; type?: string } | undefined,
  fields: Record<string, string> = {}
): FormData {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  if (file) fd.append(file.field ?? 'build', new Blob([file.content], { type: file.type ?? '' }), file.name)
  return fd
}

interface UploadOptions {
  name?: string
  content?: string | Uint8Array
  fields?: Record<string, string>
  token?: string
  path?: string
}

/** Uploads a file (by default a small app.apk with an App token on the Integrations API) and returns the build. */
export async function upload({
  name = 'app.apk',
  content = 'apk bytes',
  fields = {},
  token = sb.tokens.app,
  path = INT
}: UploadOptions = {}): Promise<StoredBuild> {
  const res = await up(path, { token, body: form({ name, content }, fields) })
  expect(res.status).toBe(200)
  return res.json.data as StoredBuild
}

export const data = <T = StoredBuild>(a: Answer): T => a.json.data as T
export const lastRequest = (): Sandbox['requests'][number] => sb.requests[sb.requests.length - 1]
