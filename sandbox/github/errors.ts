// GitHub's error answers, shared by the double's routes.
import type { Reply } from '../transport/http.js'

export const DOCS = 'https://docs.github.com/rest'

/** GitHub's error body: `status` is a string there. */
export function githubError(status: number, message: string, documentationUrl = DOCS): Reply {
  return { status, body: { message, documentation_url: documentationUrl, status: String(status) } }
}
