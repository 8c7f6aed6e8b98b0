import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSipCredentials, deriveVoiceSecret, sipPassword } from './sip-credentials.js'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('SIP credentials', () => {
  const secret = deriveVoiceSecret('a-cookie-secret-of-at-least-32-characters!')

  it('derives a stable 256-bit hex secret from the cookie secret', () => {
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    expect(deriveVoiceSecret('a-cookie-secret-of-at-least-32-characters!')).toBe(secret)
    expect(deriveVoiceSecret('another-cookie-secret-of-32-characters!!')).not.toBe(secret)
  })

  it('puts the expiry in the username and the nested keyed hash Kamailio recomputes in the password', () => {
    const credentials = createSipCredentials({ secret, user: 'agent1', expiresAt: new Date('2030-01-01T00:00:00Z') })
    expect(credentials.username).toBe('1893456000:agent1')
    const inner = sha256(`${secret}:inner:1893456000:agent1`)
    expect(credentials.password).toBe(sha256(`${secret}:outer:${inner}`))
    expect(sipPassword(secret, '1893456000:agent2')).not.toBe(credentials.password)
  })

  it('refuses a user that is not a plain SIP user name', () => {
    for (const user of ['', 'a:b', 'agent 1', 'x@y', 'a'.repeat(65)]) {
      expect(() => createSipCredentials({ secret, user, expiresAt: new Date() })).toThrow(/SIP user/)
    }
  })
})
