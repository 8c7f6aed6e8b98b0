import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { inboundMessage, inboundMessageProblem } from './capabilities/channel.js'
import { definePlugin } from './definition.js'
import { defineHandlers } from './handlers.js'
import { canonicalLanguageTag, isLanguageTag } from './language-tag.js'
import { createTestHarness } from './testing.js'

const message = (language?: unknown) => ({
  channelMessageId: 'm-1',
  from: { id: 'visitor-1', kind: 'web-visitor', ...(language === undefined ? {} : { language }) },
  kind: 'text',
  text: 'hello',
  receivedAt: '2026-11-21T10:00:00.000Z',
})

describe('language tags (BCP 47)', () => {
  it('takes well-formed tags and refuses the rest', () => {
    for (const tag of [
      'en',
      'zh-CN',
      'zh-Hant-TW',
      'pt-BR',
      'es-419',
      'sr-Latn-RS',
      'de-CH-1996',
      'en-US-x-twain',
      'yue',
    ])
      expect(isLanguageTag(tag), tag).toBe(true)
    for (const tag of [
      '',
      'e',
      'zh_CN',
      'english!',
      'en-',
      '-en',
      'en--US',
      'zh-CN-',
      '123',
      'en-US-a',
      'x'.repeat(65),
      42,
      null,
    ])
      expect(isLanguageTag(tag), String(tag)).toBe(false)
  })

  it('puts a tag in its conventional case', () => {
    expect(canonicalLanguageTag('ZH-cn')).toBe('zh-CN')
    expect(canonicalLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW')
    expect(canonicalLanguageTag('EN-us-X-Twain-AB')).toBe('en-US-x-twain-ab')
    expect(canonicalLanguageTag('es-419')).toBe('es-419')
  })
})

describe('the sender’s language on an inbound message', () => {
  it('is optional, checked, and kept in its conventional case', () => {
    expect(inboundMessage.parse(message()).from.language).toBeUndefined()
    expect(inboundMessage.parse(message('en-gb')).from.language).toBe('en-GB')
    const bad = inboundMessage.safeParse(message('english'))
    expect(bad.success).toBe(false)
    expect(inboundMessageProblem(bad.error!.issues)).toBe(
      'from.language: a BCP 47 language tag such as en, zh-CN or pt-BR',
    )
  })

  it('a channel plugin handing the host a bad language gets a clear error in the test harness, as from the host', async () => {
    const definition = definePlugin({
      name: 'language-test',
      version: '1.0.0',
      requires: { core: '>=0.1.0' },
      kinds: ['channel'],
      title: { en: 'Language test', 'zh-CN': 'Language test' },
      description: { en: 'Language test', 'zh-CN': 'Language test' },
      icon: 'icon.svg',
      readme: 'README.md',
      config: z.object({}),
      secrets: z.object({}),
      channels: { chat: { title: { en: 'Chat', 'zh-CN': 'Chat' }, identityKind: 'web-visitor', supports: ['text'] } },
      permissions: { webhooks: [{ name: 'in', methods: ['POST'] }] },
    })
    const handlers = defineHandlers<typeof definition>({
      actions: {},
      webhooks: {
        in: async (request, ctx) => {
          await ctx.channel.receive('chat', message(request.body) as never)
          return { status: 200 }
        },
      },
      send: async () => ({ channelMessageId: null }),
    })
    const harness = createTestHarness({ definition, handlers })
    const call = (body: string) => harness.webhook('in', { method: 'POST', path: '', query: {}, headers: {}, body })
    await expect(call('en_US')).rejects.toMatchObject({
      code: 'SB_ERR_PLUGIN_INVALID_OUTPUT',
      message: 'inbound message: from.language: a BCP 47 language tag such as en, zh-CN or pt-BR',
    })
    await call('zh-cn')
    expect(harness.received[0]!.message.from.language).toBe('zh-CN')
  })
})
