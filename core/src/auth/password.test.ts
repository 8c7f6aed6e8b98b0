import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './password.js'

describe('password hashing (scrypt)', () => {
  it('verifies the right password only, and salts every hash', async () => {
    const a = await hashPassword('correct horse battery', 12)
    const b = await hashPassword('correct horse battery', 12)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^scrypt\$12\$8\$1\$/)
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
  })
  it('keeps verifying hashes made with an older cost after the cost is raised', async () => {
    const old = await hashPassword('s3cret-passphrase', 10)
    await hashPassword('other', 14)
    expect(await verifyPassword('s3cret-passphrase', old)).toBe(true)
  })
  it('rejects a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false)
  })
})
