import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Password hashing with scrypt, the memory-hard KDF built into Node (no native addon to
 * build). Stored as `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` so the cost can be raised later
 * without breaking existing hashes.
 */
const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  )

const KEY_LENGTH = 32

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16)
  const r = 8
  const p = 1
  const key = await scrypt(password, salt, KEY_LENGTH, {
    N: 2 ** cost,
    r,
    p,
    maxmem: 256 * 2 ** cost * r + 1024 * 1024,
  })
  return ['scrypt', cost, r, p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, costText, rText, pText, saltText, keyText] = stored.split('$')
  if (scheme !== 'scrypt' || !costText || !rText || !pText || !saltText || !keyText) return false
  const cost = Number(costText)
  const r = Number(rText)
  const p = Number(pText)
  const expected = Buffer.from(keyText, 'base64url')
  const key = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length, {
    N: 2 ** cost,
    r,
    p,
    maxmem: 256 * 2 ** cost * r + 1024 * 1024,
  })
  return timingSafeEqual(key, expected)
}

/** A hash to compare against when the user does not exist, so timing does not reveal accounts. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(cost: number): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), cost)
  return dummyHash
}
