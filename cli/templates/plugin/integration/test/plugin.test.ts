import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import handlers from '../src/index.js'

/** A local stand-in for the service, answering the way its HTTP API does. */
const records: Record<string, { id: string; name: string; status: string }> = {
  '42': { id: '42', name: 'First record', status: 'active' },
}
const requests: Array<{ url?: string; authorization?: string }> = []
let server: Server
let baseUrl: string

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url, authorization: req.headers.authorization })
    const id = /^\/records\/([^/?]+)$/.exec(req.url ?? '')?.[1]
    const record = id === undefined ? undefined : records[decodeURIComponent(id)]
    res.writeHead(record ? 200 : 404, { 'content-type': 'application/json' })
    res.end(JSON.stringify(record ?? { error: 'not found' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const plugin = () => createTestHarness({ definition, handlers, config: { baseUrl }, secrets: { apiKey: 'test-key' } })

describe('{{NAME}}', () => {
  it('gets a record from the service, with the API key', async () => {
    expect(await plugin().callAction('getRecord', { id: '42' })).toEqual({
      id: '42',
      name: 'First record',
      status: 'active',
    })
    expect(requests.at(-1)).toEqual({ url: '/records/42', authorization: 'Bearer test-key' })
  })

  it('answers null for a record the service does not have', async () => {
    expect(await plugin().callAction('getRecord', { id: 'nope' })).toBeNull()
  })

  it('refuses an empty id before calling the service', async () => {
    await expect(plugin().callAction('getRecord', { id: '' })).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_INPUT',
    })
  })
})
