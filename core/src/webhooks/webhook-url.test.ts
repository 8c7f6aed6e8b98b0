import { describe, expect, it } from 'vitest'
import { checkWebhookUrl, isPrivateAddress } from './webhook-url.js'

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.20.30.40',
    '172.31.255.1',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a00:1',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true))

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  )
})

describe('checkWebhookUrl', () => {
  it('refuses private hosts unless allowed, and always other schemes and credentials', async () => {
    await expect(checkWebhookUrl('http://127.0.0.1:3000/x', false)).rejects.toMatchObject({
      code: 'SB_ERR_WEBHOOK_URL_NOT_ALLOWED',
    })
    await expect(checkWebhookUrl('http://LOCALHOST/x', false)).rejects.toThrow(/private or loopback/)
    await expect(checkWebhookUrl('http://[fd00::5]/x', false)).rejects.toThrow(/private or loopback/)
    await expect(checkWebhookUrl('http://127.0.0.1:3000/x', true)).resolves.toBeInstanceOf(URL)
    await expect(checkWebhookUrl('https://93.184.215.14/x', false)).resolves.toBeInstanceOf(URL)
    await expect(checkWebhookUrl('file:///etc/passwd', true)).rejects.toThrow(/only http and https/)
    await expect(checkWebhookUrl('https://a:b@93.184.215.14/x', true)).rejects.toThrow(/no user name or password/)
    await expect(checkWebhookUrl('not a url', true)).rejects.toThrow(/not a URL/)
  })
})
