import { describe, expect, it } from 'vitest'
import { ApiError, withQuery } from './http'

describe('console REST client', () => {
  it('builds query strings, leaving out empty values and repeating arrays', () => {
    expect(withQuery('/api/v1/x')).toBe('/api/v1/x')
    expect(withQuery('/api/v1/x', { a: 1, b: '', c: undefined, d: null, e: false })).toBe('/api/v1/x?a=1&e=false')
    expect(withQuery('/api/v1/x', { tag: ['vip', '售后'] })).toBe('/api/v1/x?tag=vip&tag=%E5%94%AE%E5%90%8E')
  })

  it("keeps the core's error body and maps validation details to fields", () => {
    const error = new ApiError(
      400,
      {
        code: 'VALIDATION',
        message: 'email: invalid email',
        details: [
          { path: 'email', message: 'invalid email' },
          { path: 'email', message: 'second problem' },
          { path: 'name', message: 'required' },
        ],
      },
      'fallback',
    )
    expect(error.message).toBe('email: invalid email')
    expect(error.fieldErrors()).toEqual({ email: 'invalid email', name: 'required' })
    expect(new ApiError(502, {}, 'GET /x answered 502')).toMatchObject({
      code: 'HTTP_502',
      message: 'GET /x answered 502',
    })
  })
})
