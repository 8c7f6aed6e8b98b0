import type { InboundMessage } from '@switchboard/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { createMemoryBus } from '../infra/memory/memory-bus.js'
import { createMemoryCache } from '../infra/memory/memory-cache.js'
import type { Infra } from '../infra/index.js'
import type { Logger } from '../logger.js'
import type { Db } from '../storage/index.js'
import { hostCapabilities, type InboundDelivery } from './host-capabilities.js'
import type { LoadedPlugin } from './loaded-plugin.js'

const plugin = {
  manifest: {
    name: 'test-channel',
    channels: { chat: { identityKind: 'web-visitor' } },
    permissions: { storageKb: 0, events: { emit: [] } },
  },
  log: { add() {} },
} as unknown as LoadedPlugin

const message: InboundMessage = {
  channelMessageId: 'visitor-1:msg-0001',
  from: { id: 'visitor-1', kind: 'web-visitor' },
  kind: 'text',
  text: '在吗',
  receivedAt: new Date().toISOString(),
}

type OnInbound = (d: InboundDelivery) => Promise<{ duplicate: boolean } | void>

/** Two instances' host capabilities for one plugin, sharing the cluster's cache and bus. */
function twoInstances(onInbound: [OnInbound, OnInbound]) {
  const infra = { cache: createMemoryCache(), bus: createMemoryBus(() => {}) } as unknown as Infra
  const deps = { db: {} as Db, infra, logger: {} as Logger, provider: 'sqlite' as const }
  return onInbound.map((handler) => hostCapabilities({ ...deps, onInbound: handler }, plugin))
}

describe('inbound channel messages: handed on once, and never lost to a duplicate mark', () => {
  it('a retry on another instance is stored when the first instance died before storing it', async () => {
    const stored: string[] = []
    const [dying, surviving] = twoInstances([
      // the first instance took the message and died (kill -9) before the conversations module stored it
      () => new Promise(() => {}),
      async (d) => {
        const duplicate = stored.includes(d.message.channelMessageId)
        if (!duplicate) stored.push(d.message.channelMessageId)
        return { duplicate }
      },
    ])
    void dying!.receive('chat', message)
    expect(await surviving!.receive('chat', message)).toEqual({ duplicate: false })
    expect(stored).toEqual([message.channelMessageId])
    // once stored, a retry is known without asking the conversations module again
    expect(await surviving!.receive('chat', message)).toEqual({ duplicate: true })
    expect(stored).toHaveLength(1)
  })

  it('what the conversations module already had is a duplicate, and is not announced again', async () => {
    const [instance] = twoInstances([async () => ({ duplicate: true }), async () => {}])
    expect(await instance!.receive('chat', message)).toEqual({ duplicate: true })
  })

  it('a message the conversations module could not store is not marked: the retry is handed on', async () => {
    let calls = 0
    const [instance] = twoInstances([
      async () => {
        if (++calls === 1) throw new Error('database unavailable')
      },
      async () => {},
    ])
    await expect(instance!.receive('chat', message)).rejects.toThrow('database unavailable')
    expect(await instance!.receive('chat', message)).toEqual({ duplicate: false })
    expect(calls).toBe(2)
  })
})

describe('inbound channel messages: checked before they are handed on', () => {
  it('refuses a sender language that is not a BCP 47 tag, naming the field; takes a good one in its usual case', async () => {
    const handed: InboundDelivery[] = []
    const [instance] = twoInstances([async (d) => void handed.push(d), async () => {}])
    const withLanguage = (language: string) => ({
      ...message,
      channelMessageId: `m-${language}`,
      from: { ...message.from, language },
    })
    await expect(instance!.receive('chat', withLanguage('english please'))).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
      message: 'inbound message: from.language: a BCP 47 language tag such as en, zh-CN or pt-BR',
    })
    expect(handed).toEqual([])
    await instance!.receive('chat', withLanguage('en-gb'))
    expect(handed[0]!.message.from.language).toBe('en-GB')
  })
})
