import { createHash, createHmac, randomUUID } from 'node:crypto'

/** `ctx.crypto`, computed on the host with node:crypto: the isolate has no hashing of its own. */
export const hostCrypto = {
  sha1: (text: string) => createHash('sha1').update(text, 'utf8').digest('hex'),
  sha256: (text: string) => createHash('sha256').update(text, 'utf8').digest('hex'),
  md5: (text: string) => createHash('md5').update(text, 'utf8').digest('hex'),
  hmacSha256: (key: string, text: string, encoding: 'hex' | 'base64' = 'hex') =>
    createHmac('sha256', key).update(text, 'utf8').digest(encoding),
  randomId: () => randomUUID(),
}
