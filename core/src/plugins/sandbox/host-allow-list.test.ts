import { describe, expect, it } from 'vitest'
import { isHostAllowed } from './index.js'

const allowed = (url: string, hosts: string[], config: unknown = {}) => isHostAllowed(new URL(url), hosts, config)

describe('isHostAllowed', () => {
  it('matches a bare host name on the default port of the scheme only', () => {
    expect(allowed('https://api.example.com/v1', ['api.example.com'])).toBe(true)
    expect(allowed('http://api.example.com/v1', ['api.example.com'])).toBe(true)
    expect(allowed('https://API.Example.com/', ['api.example.com'])).toBe(true)
    expect(allowed('https://api.example.com:8443/', ['api.example.com'])).toBe(false)
    expect(allowed('https://api.example.com.evil.com/', ['api.example.com'])).toBe(false)
    expect(allowed('https://evilapi.example.com/', ['api.example.com'])).toBe(false)
  })

  it('matches a host with a port on that port only', () => {
    expect(allowed('https://api.example.com:8443/', ['api.example.com:8443'])).toBe(true)
    expect(allowed('https://api.example.com/', ['api.example.com:8443'])).toBe(false)
    expect(allowed('https://api.example.com/', ['api.example.com:443'])).toBe(true)
  })

  it('matches a wildcard on subdomains, not on the domain itself or look-alikes', () => {
    expect(allowed('https://a.example.com/', ['*.example.com'])).toBe(true)
    expect(allowed('https://a.b.example.com/', ['*.example.com'])).toBe(true)
    expect(allowed('https://example.com/', ['*.example.com'])).toBe(false)
    expect(allowed('https://badexample.com/', ['*.example.com'])).toBe(false)
    expect(allowed('https://a.example.com:8080/', ['*.example.com'])).toBe(false)
  })

  it('resolves config:<field> against the config of the call, host and port', () => {
    const config = { shop: { url: 'https://shop.example.org:8443/base' }, baseUrl: 'http://127.0.0.1:4010' }
    expect(allowed('https://shop.example.org:8443/wp-json', ['config:shop.url'], config)).toBe(true)
    expect(allowed('https://shop.example.org/wp-json', ['config:shop.url'], config)).toBe(false)
    expect(allowed('http://127.0.0.1:4010/x', ['config:baseUrl'], config)).toBe(true)
    expect(allowed('http://127.0.0.1:4011/x', ['config:baseUrl'], config)).toBe(false)
    expect(allowed('http://127.0.0.1:4010/x', ['config:missing'], config)).toBe(false)
    expect(allowed('http://127.0.0.1:4010/x', ['config:baseUrl'], { baseUrl: 'not a url' })).toBe(false)
    // a prototype is not configuration
    expect(allowed('http://127.0.0.1:4010/x', ['config:toString'], config)).toBe(false)
  })

  it('allows http and https only', () => {
    for (const url of ['file:///etc/passwd', 'ftp://api.example.com/', 'data:text/plain,hi', 'ws://api.example.com/'])
      expect(allowed(url, ['api.example.com']), url).toBe(false)
  })

  it('allows nothing when nothing was declared', () => {
    expect(allowed('https://api.example.com/', [])).toBe(false)
  })
})
