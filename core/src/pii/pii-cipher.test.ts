import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createPiiCipher } from './pii-cipher.js'
import { normalizePhone } from './normalize.js'

const key = () => ({ id: `k${randomBytes(2).toString('hex')}`, key: randomBytes(32) })
const hashKey = randomBytes(32)

describe('PII cipher', () => {
  it('round-trips text (Chinese included) and never produces the same ciphertext twice', () => {
    const cipher = createPiiCipher([key()], hashKey)
    const a = cipher.encrypt('contact.name', '李女士')
    const b = cipher.encrypt('contact.name', '李女士')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^v1\.k[0-9a-f]{4}\./)
    expect(cipher.decrypt('contact.name', a)).toBe('李女士')
  })

  it('binds a value to its field: a phone ciphertext copied into the name column does not decrypt', () => {
    const cipher = createPiiCipher([key()], hashKey)
    const phone = cipher.encrypt('contact.phone', '+8613800138000')
    expect(() => cipher.decrypt('contact.name', phone)).toThrow(/failed authentication/)
  })

  it('detects tampering', () => {
    const cipher = createPiiCipher([key()], hashKey)
    const parts = cipher.encrypt('contact.email', 'a@b.cn').split('.')
    parts[4] = Buffer.from('x' + Buffer.from(parts[4]!, 'base64url').toString('latin1').slice(1), 'latin1').toString(
      'base64url',
    )
    expect(() => cipher.decrypt('contact.email', parts.join('.'))).toThrow(/failed authentication/)
  })

  it('decrypts with any key of the ring, encrypts with the first; a missing key is named', () => {
    const oldKey = key()
    const newKey = key()
    const before = createPiiCipher([oldKey], hashKey).encrypt('contact.phone', '+8613800138000')
    const rotated = createPiiCipher([newKey, oldKey], hashKey)
    expect(rotated.decrypt('contact.phone', before)).toBe('+8613800138000')
    expect(rotated.keyIdOf(rotated.encrypt('contact.phone', 'x'))).toBe(newKey.id)
    expect(() => createPiiCipher([newKey], hashKey).decrypt('contact.phone', before)).toThrow(
      new RegExp(`key "${oldKey.id}", which is not in the keyring`),
    )
  })

  it('hashes deterministically per field with the hash key, so look-ups work across key rotations', () => {
    const a = createPiiCipher([key()], hashKey)
    const b = createPiiCipher([key()], hashKey)
    expect(a.hash('phone', '+8613800138000')).toBe(b.hash('phone', '+8613800138000'))
    expect(a.hash('phone', '+8613800138000')).not.toBe(a.hash('email', '+8613800138000'))
    expect(createPiiCipher([key()], randomBytes(32)).hash('phone', '+8613800138000')).not.toBe(
      a.hash('phone', '+8613800138000'),
    )
  })
})

describe('normalizePhone', () => {
  it('brings local and international forms to E.164', () => {
    expect(normalizePhone('138 0013 8000', 'CN')).toBe('+8613800138000')
    expect(normalizePhone('+86-138-0013-8000', 'US')).toBe('+8613800138000')
    expect(normalizePhone('(415) 555-0123', 'US')).toBe('+14155550123')
  })
  it('refuses text that is not a phone number', () => {
    expect(() => normalizePhone('hello', 'CN')).toThrow(/not a phone number/)
  })
})
