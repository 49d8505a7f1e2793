import { describe, expect, it } from '@jest/globals'
import { unwrap } from '../src/applivery/envelope.js'
import { ApiError } from '../src/applivery/errors.js'

const answer = (status: number, body: string, headers = {}) => ({ status, headers, body: Buffer.from(body) })

describe('error mapping', () => {
  it('returns data from a successful envelope', () => {
    expect(unwrap('Get build b', answer(200, '{"status":true,"data":{"id":"b"}}'))).toEqual({ id: 'b' })
  })

  it.each([
    [3001, 404, /Check build-id/],
    [3002, 401, /The token has expired/],
    [4002, 401, /No token reached Applivery/],
    [4004, 401, /Service Account token needs both/],
    [5006, 400, /rejected the file/],
    [5014, 400, /still being processed/],
    [5024, 409, /slug is already used/]
  ])('names the operation, status, code, message and a hint for %s', (code, status, hint) => {
    const err = (() => {
      try {
        unwrap('Delete build b1', answer(status, JSON.stringify({ status: false, error: { code, message: 'Boom' } })))
      } catch (e) {
        return e as ApiError
      }
    })()
    expect(err).toBeInstanceOf(ApiError)
    expect(err?.message).toMatch(new RegExp(`^Delete build b1 failed \\(HTTP ${status}\\)\\. Applivery error ${code}: Boom\\nHint: `))
    expect(err?.message).toMatch(hint)
  })

  it('fails a status: false body even with HTTP 200', () => {
    expect(() => unwrap('List builds', answer(200, '{"status":false,"error":{"code":4004,"message":"Invalid token"}}'))).toThrow(
      /List builds failed \(HTTP 200\)\. Applivery error 4004: Invalid token/
    )
  })

  it('describes answers that are not JSON, without the markup', () => {
    expect(() => unwrap('Upload build', answer(502, '<html><body><h1>502 Bad Gateway</h1></body></html>'))).toThrow(
      'Upload build failed (HTTP 502). The answer was not JSON: 502 Bad Gateway'
    )
  })

  it('marks answers without an envelope as malformed and reads Retry-After', () => {
    try {
      unwrap('List builds', answer(503, '{"status":', { 'retry-after': '7' }))
    } catch (err) {
      expect(err).toMatchObject({ malformed: true, httpStatus: 503, retryAfterMs: 7000 })
      return
    }
    throw new Error('expected a failure')
  })
})
