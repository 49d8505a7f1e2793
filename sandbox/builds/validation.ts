// What Applivery's validation refuses in a build's fields, answered as it answers it (6002, Joi's messages).
import { validationFailed, type Reply } from '../transport/http.js'

/**
 * Applivery does not document a limit on release notes; the double refuses longer ones, on upload and on
 * update, so a client that sends unbounded notes fails here first (the action sends at most 4,000 characters).
 */
export const MAX_CHANGELOG_CHARS = 10_000

/** The answer to a changelog Applivery would refuse, or undefined when it takes it (or none is sent). */
export function changelogRefusal(changelog: unknown): Reply | undefined {
  if (typeof changelog !== 'string' || changelog.length <= MAX_CHANGELOG_CHARS) return undefined
  return validationFailed([
    {
      field: ['changelog'],
      location: 'body',
      messages: [`"changelog" length must be less than or equal to ${MAX_CHANGELOG_CHARS} characters long`],
      types: ['string.max']
    }
  ])
}
