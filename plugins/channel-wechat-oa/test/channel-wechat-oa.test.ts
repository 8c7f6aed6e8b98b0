import { createCipheriv, randomBytes } from 'node:crypto'
import { checkManifest, toManifest } from '@switchboard/plugin-sdk'
import { createTestHarness } from '@switchboard/plugin-sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from '../plugin.definition.js'
import { decryptAes256Cbc } from '../src/aes-256-cbc.js'
import handlers from '../src/index.js'
import {
  pushRequest,
  pushXml,
  startFakeWechat,
  verificationRequest,
  wechatSignature,
  type FakeWechat,
  type PushOptions,
} from './fake-wechat.js'

const APP_ID = 'wx0123456789abcdef'
const APP_SECRET = '0123456789abcdef0123456789abcdef'
const TOKEN = 'SwitchboardTok3n'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const OPENID = 'oX1a2B3c4D5e6F7g8H9i0JkLmNoP'
const now = () => Math.floor(Date.now() / 1000)

let wechat: FakeWechat
beforeEach(async () => {
  wechat = await startFakeWechat({ appId: APP_ID, appSecret: APP_SECRET })
})
afterEach(() => wechat.close())

function plugin(
  options: { config?: Record<string, unknown>; secrets?: Record<string, unknown>; hosts?: string[] } = {},
) {
  const permissions = { ...definition.permissions, hosts: options.hosts ?? definition.permissions.hosts }
  return createTestHarness({
    definition: { ...definition, permissions },
    handlers,
    config: { appId: APP_ID, apiBase: wechat.url, ...options.config },
    secrets: { appSecret: APP_SECRET, token: TOKEN, ...options.secrets },
  })
}

const push = (xml: string, options: Partial<PushOptions> = {}) =>
  pushRequest({ token: TOKEN, encodingAesKey: AES_KEY, appId: APP_ID, ...options }, xml)
const textTo = (text: string, extra: Record<string, unknown> = {}) => ({
  channel: 'wechat-oa',
  message: { to: { id: OPENID, kind: 'wechat-openid' }, kind: 'text' as const, text, ...extra },
})
const success = { status: 200, body: 'success' }

describe('the definition', () => {
  it('is a valid channel manifest whose every config and secret field is described for the admin form', () => {
    const manifest = toManifest(definition)
    expect(checkManifest(manifest).ok).toBe(true)
    for (const schema of [manifest.config, manifest.secrets]) {
      const properties = (schema as { properties: Record<string, { description?: string }> }).properties
      for (const [name, property] of Object.entries(properties)) expect(property.description, name).toBeTruthy()
    }
    expect(manifest.channels['wechat-oa']?.identityKind).toBe('wechat-openid')
    expect(manifest.permissions.webhooks).toEqual([{ name: 'callback', methods: ['GET', 'POST'] }])
  })
})

describe('server URL verification (GET)', () => {
  it('echoes echostr as plain text when the signature matches the token', async () => {
    const response = await plugin().webhook('callback', verificationRequest({ token: TOKEN }, '7158293054362'))
    expect(response).toMatchObject({ status: 200, body: '7158293054362' })
    expect(response.headers?.['content-type']).toMatch(/^text\/plain/)
  })

  it('answers 403 when the signature was made with another token', async () => {
    const sb = plugin()
    const response = await sb.webhook('callback', verificationRequest({ token: 'SomeoneElse' }, '7158293054362'))
    expect(response.status).toBe(403)
    expect(response.body).not.toContain('7158293054362')
    expect(sb.logs.some((l) => l.level === 'warn')).toBe(true)
  })

  it('answers 400 without echostr', async () => {
    const request = verificationRequest({ token: TOKEN }, '')
    expect((await plugin().webhook('callback', request)).status).toBe(400)
  })
})

describe('messages in (POST)', () => {
  it('hands a text message to the host and answers success without calling WeChat', async () => {
    const sb = plugin()
    const createTime = now()
    const xml = pushXml({
      FromUserName: OPENID,
      CreateTime: createTime,
      MsgType: 'text',
      Content: '我的订单到哪了？',
      MsgId: 24386421187461234n,
    })
    expect(await sb.webhook('callback', push(xml))).toMatchObject(success)
    expect(sb.received).toEqual([
      {
        channel: 'wechat-oa',
        message: {
          channelMessageId: '24386421187461234',
          from: { id: OPENID, kind: 'wechat-openid' },
          kind: 'text',
          text: '我的订单到哪了？',
          receivedAt: new Date(createTime * 1000).toISOString(),
        },
      },
    ])
    expect(sb.fetches).toEqual([])
  })

  it('turns an image into an image message with its PicUrl', async () => {
    const sb = plugin()
    const picUrl = 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0'
    const xml = pushXml({ FromUserName: OPENID, MsgType: 'image', PicUrl: picUrl, MediaId: 'MEDIA_1', MsgId: 101n })
    expect(await sb.webhook('callback', push(xml))).toMatchObject(success)
    expect(sb.received[0]?.message).toMatchObject({ channelMessageId: '101', kind: 'image', media: { url: picUrl } })
  })

  it('turns voice, location and link messages into audio, location and text', async () => {
    const sb = plugin()
    const pushes: Array<Record<string, string | number | bigint>> = [
      { MsgType: 'voice', MediaId: 'VOICE_1', Format: 'amr', Recognition: '退货', MsgId: 201n },
      { MsgType: 'location', Location_X: 31.2304, Location_Y: 121.4737, Scale: 15, Label: '上海市黄浦区', MsgId: 202n },
      { MsgType: 'link', Title: '订单截图', Description: '请看', Url: 'https://shop.example.cn/o/1', MsgId: 203n },
    ]
    for (const fields of pushes) await sb.webhook('callback', push(pushXml({ FromUserName: OPENID, ...fields })))
    expect(sb.received.map((r) => r.message)).toMatchObject([
      { kind: 'audio', text: '退货', media: { url: 'wechat-media:VOICE_1', mimeType: 'audio/amr' } },
      { kind: 'location', text: '上海市黄浦区 (31.2304,121.4737)' },
      { kind: 'text', text: '订单截图\n请看\nhttps://shop.example.cn/o/1' },
    ])
  })

  it('turns subscribe and menu-click events into event messages keyed by sender, time and event', async () => {
    const sb = plugin()
    const createTime = now()
    await sb.webhook(
      'callback',
      push(pushXml({ FromUserName: OPENID, CreateTime: createTime, MsgType: 'event', Event: 'subscribe' })),
    )
    await sb.webhook(
      'callback',
      push(
        pushXml({
          FromUserName: OPENID,
          CreateTime: createTime + 1,
          MsgType: 'event',
          Event: 'CLICK',
          EventKey: 'ORDER_STATUS',
        }),
      ),
    )
    expect(sb.received.map((r) => r.message)).toMatchObject([
      { channelMessageId: `${OPENID}:${createTime}:subscribe`, kind: 'event', event: 'subscribe' },
      { channelMessageId: `${OPENID}:${createTime + 1}:CLICK`, kind: 'event', event: 'click', text: 'ORDER_STATUS' },
    ])
  })

  it('acknowledges WeChat’s job reports and location reports without forwarding them', async () => {
    const sb = plugin()
    for (const Event of ['TEMPLATESENDJOBFINISH', 'LOCATION'])
      expect(
        await sb.webhook('callback', push(pushXml({ FromUserName: OPENID, MsgType: 'event', Event }))),
      ).toMatchObject(success)
    expect(sb.received).toEqual([])
  })

  it.each([
    ['a message', { MsgType: 'text', Content: '在吗', MsgId: 9001n }],
    ['an event (no MsgId)', { MsgType: 'event', Event: 'subscribe' }],
  ])('receives %s once when WeChat retries it three times, answering success each time', async (_, fields) => {
    const sb = plugin()
    const xml = pushXml({ FromUserName: OPENID, ...fields })
    for (let attempt = 0; attempt < 3; attempt++) {
      // each retry is a new request with its own nonce and signature
      expect(await sb.webhook('callback', push(xml))).toMatchObject(success)
    }
    expect(sb.received).toHaveLength(1)
  })

  it('refuses a push with a bad signature (403) and receives nothing', async () => {
    const sb = plugin()
    const request = push(pushXml({ FromUserName: OPENID, MsgType: 'text', Content: '伪造', MsgId: 1n }), {
      token: 'NotTheToken',
    })
    expect((await sb.webhook('callback', request)).status).toBe(403)
    const unsigned = { ...request, query: { timestamp: request.query.timestamp!, nonce: request.query.nonce! } }
    expect((await sb.webhook('callback', unsigned)).status).toBe(403)
    expect(sb.received).toEqual([])
  })

  it('refuses a correctly signed push with a stale timestamp (403), the replay of a captured request', async () => {
    const sb = plugin({ config: { maxClockSkewSeconds: 300 } })
    const xml = pushXml({ FromUserName: OPENID, MsgType: 'text', Content: '旧消息', MsgId: 2n })
    const response = await sb.webhook('callback', push(xml, { timestamp: now() - 3600 }))
    expect(response.status).toBe(403)
    expect(response.body).toContain('stale timestamp')
    expect((await sb.webhook('callback', push(xml, { timestamp: now() + 3600 }))).status).toBe(403)
    expect(sb.received).toEqual([])
  })

  it.each([
    ['an unclosed element', '<xml><ToUserName>gh_1</ToUserName>', 'not closed'],
    ['a mismatched end tag', '<xml><Content>hi</Cont></xml>', '</Cont> closes <Content>'],
    ['another root', '<message><MsgType>text</MsgType></message>', 'not <xml>'],
    ['no XML at all', 'MsgType=text&Content=hi', 'no root element'],
    ['a bare ampersand', '<xml><Content>A & B</Content></xml>', 'entity'],
    ['an unknown entity', '<xml><Content>&nbsp;</Content></xml>', 'unknown entity'],
    [
      'a DOCTYPE (external entities)',
      '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml>&x;</xml>',
      'DOCTYPE',
    ],
    ['an unclosed CDATA section', '<xml><Content><![CDATA[never closed</Content></xml>', 'CDATA'],
    ['content after the root', '<xml></xml><xml></xml>', 'after the root'],
    ['deep nesting', `<xml>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</xml>`, 'nested deeper'],
    ['no FromUserName', pushXml({ MsgType: 'text', Content: 'hi', MsgId: 3n }), 'FromUserName'],
    ['no MsgType', pushXml({ FromUserName: OPENID, Content: 'hi', MsgId: 4n }), 'MsgType'],
  ])('answers 400 with the reason for %s, and receives nothing', async (_, body, reason) => {
    const sb = plugin()
    const response = await sb.webhook('callback', push(body))
    expect(response.status).toBe(400)
    expect(response.body).toContain(reason)
    expect(sb.received).toEqual([])
  })

  it('reads CDATA (split around "]]>"), entities, the XML declaration, comments and Chinese text exactly', async () => {
    const sb = plugin()
    const createTime = now()
    const document = (content: string, msgId: number) => `\uFEFF<?xml version="1.0" encoding="UTF-8"?>
<!-- pushed by WeChat -->
<xml>
  <ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>
  <FromUserName>${OPENID.slice(0, 4)}&#95;${OPENID.slice(4)}</FromUserName>
  <CreateTime> ${createTime} </CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content>${content}</Content>
  <MsgId>${msgId}</MsgId>
  <Extra attr='x &amp; y'><Nested><![CDATA[ignored]]></Nested></Extra>
</xml>
`
    await sb.webhook('callback', push(document('<![CDATA[价格 < 100 & "包邮"]]]]><![CDATA[> 吗？😀]]>', 11)))
    await sb.webhook(
      'callback',
      push(document('&lt;b&gt;粗体&lt;/b&gt; &amp; &#x4F60;&#22909; &quot;ok&quot; &apos;s', 12)),
    )
    expect(sb.received.map((r) => [r.message.from.id, r.message.text])).toEqual([
      [`${OPENID.slice(0, 4)}_${OPENID.slice(4)}`, '价格 < 100 & "包邮"]]> 吗？😀'],
      [`${OPENID.slice(0, 4)}_${OPENID.slice(4)}`, '<b>粗体</b> & 你好 "ok" \'s'],
    ])
  })
})

describe('safe mode (安全模式) and compatible mode (兼容模式)', () => {
  const xml = () => pushXml({ FromUserName: OPENID, MsgType: 'text', Content: '加密的消息：退款进度？', MsgId: 777n })

  it('decrypts a safe-mode push with the EncodingAESKey and receives it', async () => {
    const sb = plugin({ secrets: { encodingAesKey: AES_KEY } })
    const request = push(xml(), { mode: 'safe' })
    expect(request.body).not.toContain('退款')
    expect(await sb.webhook('callback', request)).toMatchObject(success)
    expect(sb.received[0]?.message).toMatchObject({ channelMessageId: '777', text: '加密的消息：退款进度？' })
  })

  it('refuses an encrypted push whose msg_signature does not match (403)', async () => {
    const sb = plugin({ secrets: { encodingAesKey: AES_KEY } })
    const request = push(xml(), { mode: 'safe' })
    const tampered = { ...request, query: { ...request.query, msg_signature: wechatSignature(['tampered']) } }
    expect((await sb.webhook('callback', tampered)).status).toBe(403)
    expect(sb.received).toEqual([])
  })

  it('refuses a push encrypted for another AppID or with another key (400)', async () => {
    const sb = plugin({ secrets: { encodingAesKey: AES_KEY } })
    const otherApp = await sb.webhook('callback', push(xml(), { mode: 'safe', appId: 'wxfedcba9876543210' }))
    expect(otherApp.status).toBe(400)
    expect(otherApp.body).toContain('another AppID')
    const otherKey = await sb.webhook('callback', push(xml(), { mode: 'safe', encodingAesKey: 'Z'.repeat(43) }))
    expect(otherKey.status).toBe(400)
    expect(sb.received).toEqual([])
  })

  it('refuses a safe-mode push with a clear error when no EncodingAESKey is configured', async () => {
    const sb = plugin()
    const response = await sb.webhook('callback', push(xml(), { mode: 'safe' }))
    expect(response.status).toBe(400)
    expect(response.body).toContain('encodingAesKey')
    expect(sb.logs.some((l) => l.level === 'error')).toBe(true)
    expect(sb.received).toEqual([])
  })

  it('reads a compatible-mode push from its plaintext without a key, and decrypts it with one', async () => {
    const withoutKey = plugin()
    expect(await withoutKey.webhook('callback', push(xml(), { mode: 'compatible' }))).toMatchObject(success)
    const withKey = plugin({ secrets: { encodingAesKey: AES_KEY } })
    expect(await withKey.webhook('callback', push(xml(), { mode: 'compatible' }))).toMatchObject(success)
    for (const sb of [withoutKey, withKey]) expect(sb.received[0]?.message.text).toBe('加密的消息：退款进度？')
  })

  it('decrypts AES-256-CBC exactly as OpenSSL encrypts it', () => {
    for (const length of [16, 32, 48, 1024]) {
      const key = randomBytes(32)
      const iv = randomBytes(16)
      const plain = randomBytes(length)
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false)
      const encrypted = Buffer.concat([cipher.update(plain), cipher.final()])
      expect(Buffer.from(decryptAes256Cbc(key, iv, encrypted)!)).toEqual(plain)
    }
    expect(decryptAes256Cbc(randomBytes(32), randomBytes(16), randomBytes(15))).toBeNull()
  })
})

describe('messages out (send)', () => {
  beforeEach(() => wechat.follow(OPENID))

  it('sends text through the customer-service API', async () => {
    const sb = plugin()
    expect(await sb.send(textTo('您的包裹已发出，单号 SF1234567890。'))).toEqual({ channelMessageId: null })
    expect(wechat.sent).toEqual([
      { touser: OPENID, msgtype: 'text', text: { content: '您的包裹已发出，单号 SF1234567890。' } },
    ])
    const post = wechat.requests.find((r) => r.path === '/cgi-bin/message/custom/send')
    expect(post?.query.access_token).toMatch(/^ACCESS_TOKEN_/)
  })

  it('fetches one token for many sends and keeps it in the plugin store, never the AppSecret', async () => {
    const sb = plugin()
    for (let i = 1; i <= 5; i++) await sb.send(textTo(`第 ${i} 条`))
    expect(wechat.sent).toHaveLength(5)
    expect(wechat.tokenRequests).toBe(1)
    expect(wechat.requests.find((r) => r.path === '/cgi-bin/token')?.query).toMatchObject({
      grant_type: 'client_credential',
      appid: APP_ID,
    })
    const stored = JSON.stringify(sb.kv.get('access-token')?.value)
    expect(stored).toMatch(/ACCESS_TOKEN_1_/)
    expect(stored).not.toContain(APP_SECRET)
  })

  it('fetches a new token shortly before the cached one expires', async () => {
    const sb = plugin()
    await sb.send(textTo('一'))
    const stored = sb.kv.get('access-token')?.value as { refreshAfter: number }
    sb.kv.set('access-token', { value: { ...stored, refreshAfter: Date.now() - 1 }, expiresAt: null })
    await sb.send(textTo('二'))
    expect(wechat.tokenRequests).toBe(2)
  })

  it.each([
    ['40001 (a newer token was fetched elsewhere)', () => wechat.revokeTokens()],
    ['42001 (the token expired)', () => wechat.expireTokens()],
  ])('refreshes the token once on %s and delivers the message once', async (_, invalidate) => {
    const sb = plugin()
    await sb.send(textTo('一'))
    invalidate()
    await sb.send(textTo('二'))
    expect(wechat.tokenRequests).toBe(2)
    expect(wechat.sent.map((m) => (m.text as { content: string }).content)).toEqual(['一', '二'])
    expect(wechat.requests.filter((r) => r.path === '/cgi-bin/message/custom/send')).toHaveLength(3)
  })

  it('gives up after one refresh when WeChat keeps rejecting tokens', async () => {
    const sb = plugin()
    wechat.rejectAllTokens = true
    await expect(sb.send(textTo('一'))).rejects.toMatchObject({
      code: 'SB_ERR_WECHAT_TOKEN_REJECTED',
      details: { errcode: 40001 },
    })
    expect(wechat.tokenRequests).toBe(2)
  })

  it('maps 45015 (48-hour window expired) to a coded error that is not retried', async () => {
    wechat.follow(OPENID, Date.now() - 49 * 3600 * 1000)
    await expect(plugin().send(textTo('还在吗？'))).rejects.toMatchObject({
      code: 'SB_ERR_WECHAT_REPLY_WINDOW_EXPIRED',
      retryable: false,
      details: { errcode: 45015 },
    })
    expect(wechat.sent).toEqual([])
  })

  it('maps 45047 (too many messages since the customer wrote) and -1 (busy, retryable)', async () => {
    const sb = plugin()
    for (let i = 0; i < 5; i++) await sb.send(textTo(`第 ${i} 条`))
    await expect(sb.send(textTo('第六条'))).rejects.toMatchObject({
      code: 'SB_ERR_WECHAT_REPLY_LIMIT_REACHED',
      retryable: false,
      details: { errcode: 45047 },
    })
    wechat.follow(OPENID)
    wechat.failNextSend(-1, 'system error')
    await expect(sb.send(textTo('忙'))).rejects.toMatchObject({ code: 'SB_ERR_WECHAT_BUSY', retryable: true })
  })

  it('refuses a wrong AppSecret with a coded error and a single token request', async () => {
    const sb = plugin({ secrets: { appSecret: 'ffffffffffffffffffffffffffffffff' } })
    await expect(sb.send(textTo('一'))).rejects.toMatchObject({
      code: 'SB_ERR_WECHAT_BAD_CREDENTIALS',
      details: { errcode: 40001 },
    })
    expect(wechat.tokenRequests).toBe(1)
  })

  it('sends quick replies as a menu message, or as a numbered list with quickReplies: text', async () => {
    await plugin().send(textTo('对本次服务满意吗？', { quickReplies: ['满意', '不满意'] }))
    await plugin({ config: { quickReplies: 'text' } }).send(textTo('请选择：', { quickReplies: ['查订单', '退货'] }))
    expect(wechat.sent).toEqual([
      {
        touser: OPENID,
        msgtype: 'msgmenu',
        msgmenu: {
          head_content: '对本次服务满意吗？',
          list: [
            { id: '1', content: '满意' },
            { id: '2', content: '不满意' },
          ],
          tail_content: '',
        },
      },
      { touser: OPENID, msgtype: 'text', text: { content: '请选择：\n\n1. 查订单\n2. 退货' } },
    ])
  })

  it('falls back to a numbered list where WeChat refuses menu messages (unverified accounts)', async () => {
    wechat.refuseMenus = true
    const sb = plugin()
    await sb.send(textTo('满意吗？', { quickReplies: ['是', '否'] }))
    expect(wechat.sent).toEqual([{ touser: OPENID, msgtype: 'text', text: { content: '满意吗？\n\n1. 是\n2. 否' } }])
    expect(sb.logs.some((l) => l.level === 'warn')).toBe(true)
  })

  it('sends an image WeChat holds by media_id, its caption after it; an http image as a link', async () => {
    const image = (url: string, text?: string) => ({
      channel: 'wechat-oa',
      message: { to: { id: OPENID, kind: 'wechat-openid' }, kind: 'image' as const, text, media: { url } },
    })
    await plugin().send(image('wechat-media:MEDIA_ID_42', '这是您的发票'))
    await plugin().send(image('https://shop.example.cn/invoice.png'))
    expect(wechat.sent).toEqual([
      { touser: OPENID, msgtype: 'image', image: { media_id: 'MEDIA_ID_42' } },
      { touser: OPENID, msgtype: 'text', text: { content: '这是您的发票' } },
      { touser: OPENID, msgtype: 'text', text: { content: 'https://shop.example.cn/invoice.png' } },
    ])
  })

  it('refuses messages it cannot deliver with coded errors', async () => {
    const sb = plugin()
    await expect(sb.send(textTo('   '))).rejects.toMatchObject({ code: 'SB_ERR_WECHAT_MESSAGE_UNSUPPORTED' })
    await expect(sb.send({ ...textTo('hi'), channel: 'webchat' })).rejects.toMatchObject({
      code: 'SB_ERR_WECHAT_UNKNOWN_CHANNEL',
    })
    const toPhone = {
      channel: 'wechat-oa',
      message: { to: { id: '+8613800000000', kind: 'phone' }, kind: 'text' as const, text: 'hi' },
    }
    await expect(sb.send(toPhone)).rejects.toMatchObject({ code: 'SB_ERR_WECHAT_RECIPIENT_INVALID' })
    expect(wechat.requests).toEqual([])
  })

  it('is refused by the host when the API host is not among its declared hosts', async () => {
    const sb = plugin({ hosts: ['api.weixin.qq.com'] })
    await expect(sb.send(textTo('一'))).rejects.toMatchObject({ code: 'SB_ERR_PLUGIN_HOST_NOT_ALLOWED' })
    expect(wechat.requests).toEqual([])
  })
})

describe('health check', () => {
  it('is healthy when WeChat issues an access token', async () => {
    const health = await plugin().healthCheck()
    expect(health).toMatchObject({ ok: true })
    expect(wechat.tokenRequests).toBe(1)
  })

  it('says what to fix when this server is not in the IP allowlist', async () => {
    wechat.ipAllowed = false
    expect(await plugin().healthCheck()).toMatchObject({
      ok: false,
      message: expect.stringMatching(/IP allowlist.*40164/),
    })
  })
})
