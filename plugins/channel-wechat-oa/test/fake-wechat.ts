import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for WeChat, speaking its documented protocol: the API side (`/cgi-bin/token`,
 * `/cgi-bin/message/custom/send` with their errcodes, token expiry and the 48-hour reply window)
 * as an HTTP server on 127.0.0.1, and the push side as helpers that build the signed (and, in
 * safe mode, encrypted) callback requests WeChat's servers send.
 */

const HOURS_48 = 48 * 3600 * 1000

interface Follower {
  /** when the follower last wrote, ms since the epoch: the 48-hour window starts there */
  lastMessageAt: number
  /** customer-service messages sent since then */
  sentSinceMessage: number
}

/** One request the fake received. */
export interface ReceivedRequest {
  method: string
  path: string
  query: Record<string, string>
  body: string
}

export interface FakeWechatOptions {
  appId: string
  appSecret: string
  /** seconds, as `/cgi-bin/token` answers in expires_in (WeChat: 7200) */
  expiresIn?: number
  /** customer-service messages allowed per customer message (WeChat: 5 within 48 hours) */
  replyQuota?: number
}

export interface FakeWechat {
  /** the API base to configure, e.g. http://127.0.0.1:41234 */
  url: string
  /** every request, in order */
  requests: ReceivedRequest[]
  /** the customer-service messages WeChat accepted, as posted */
  sent: Array<Record<string, unknown>>
  /** how many access tokens were requested */
  readonly tokenRequests: number
  /** the follower wrote to the account at `at` (default now), opening the 48-hour window */
  follow(openid: string, at?: number): void
  /** every token issued so far now answers 40001, as after the 5-minute grace of a refresh elsewhere */
  revokeTokens(): void
  /** every token issued so far now answers 42001 */
  expireTokens(): void
  /** the next customer-service send answers this error instead */
  failNextSend(errcode: number, errmsg: string): void
  /** answer 40164 (IP not in the allowlist) to token requests */
  ipAllowed: boolean
  /** answer 40200 (invalid account type) to menu messages, as for unverified accounts */
  refuseMenus: boolean
  /** every token, even a fresh one, answers 40001 */
  rejectAllTokens: boolean
  close(): Promise<void>
}

function answer(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; encoding=utf-8' })
  res.end(JSON.stringify(body))
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function checkMessage(message: Record<string, unknown>, refuseMenus: boolean): [number, string] | null {
  const text = message.text as { content?: unknown } | undefined
  const image = message.image as { media_id?: unknown } | undefined
  const menu = message.msgmenu as { list?: Array<{ id?: unknown; content?: unknown }> } | undefined
  switch (message.msgtype) {
    case 'text':
      return typeof text?.content === 'string' && text.content !== '' ? null : [44004, 'empty content']
    case 'image':
      return typeof image?.media_id === 'string' && image.media_id !== '' ? null : [40007, 'invalid media_id']
    case 'msgmenu':
      if (refuseMenus) return [40200, 'invalid account type']
      return Array.isArray(menu?.list) &&
        menu.list.length > 0 &&
        menu.list.every((item) => typeof item.id === 'string' && typeof item.content === 'string')
        ? null
        : [47001, 'data format error']
    default:
      return [40008, 'invalid message type']
  }
}

/**
 * Starts the fake WeChat API on 127.0.0.1 at a free port.
 *
 * @example
 * ```ts
 * const wechat = await startFakeWechat({ appId: 'wx0123456789abcdef', appSecret: 's3cret…' })
 * wechat.follow('oUser')
 * ```
 */
export async function startFakeWechat(options: FakeWechatOptions): Promise<FakeWechat> {
  const tokens = new Map<string, 'valid' | 'revoked' | 'expired'>()
  const followers = new Map<string, Follower>()
  const failures: Array<[number, string]> = []
  let tokenRequests = 0
  let issued = 0

  function issueToken(res: ServerResponse, query: Record<string, string>): void {
    tokenRequests++
    if (query.grant_type !== 'client_credential') return answer(res, { errcode: 40002, errmsg: 'invalid grant_type' })
    if (query.appid !== options.appId) return answer(res, { errcode: 40013, errmsg: 'invalid appid' })
    if (query.secret !== options.appSecret)
      return answer(res, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
    if (!fake.ipAllowed)
      return answer(res, { errcode: 40164, errmsg: 'invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist' })
    const token = `ACCESS_TOKEN_${++issued}_${randomBytes(8).toString('hex')}`
    tokens.set(token, 'valid')
    answer(res, { access_token: token, expires_in: options.expiresIn ?? 7200 })
  }

  function sendCustomMessage(res: ServerResponse, query: Record<string, string>, body: string): void {
    const token = query.access_token
    if (!token) return answer(res, { errcode: 41001, errmsg: 'access_token missing' })
    const state = tokens.get(token)
    if (!state) return answer(res, { errcode: 40014, errmsg: 'invalid access_token' })
    if (state === 'revoked' || fake.rejectAllTokens)
      return answer(res, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
    if (state === 'expired') return answer(res, { errcode: 42001, errmsg: 'access_token expired' })
    const failure = failures.shift()
    if (failure) return answer(res, { errcode: failure[0], errmsg: failure[1] })
    let message: Record<string, unknown>
    try {
      message = JSON.parse(body) as Record<string, unknown>
    } catch {
      return answer(res, { errcode: 47001, errmsg: 'data format error' })
    }
    const follower = followers.get(String(message.touser))
    if (!follower) return answer(res, { errcode: 40003, errmsg: 'invalid openid' })
    if (Date.now() - follower.lastMessageAt > HOURS_48)
      return answer(res, { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' })
    if (follower.sentSinceMessage >= (options.replyQuota ?? 5))
      return answer(res, { errcode: 45047, errmsg: 'out of response count limit' })
    const problem = checkMessage(message, fake.refuseMenus)
    if (problem) return answer(res, { errcode: problem[0], errmsg: problem[1] })
    follower.sentSinceMessage++
    fake.sent.push(message)
    answer(res, { errcode: 0, errmsg: 'ok' })
  }

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const query = Object.fromEntries(url.searchParams)
      fake.requests.push({ method: req.method ?? 'GET', path: url.pathname, query, body })
      if (url.pathname === '/cgi-bin/token' && req.method === 'GET') return issueToken(res, query)
      if (url.pathname === '/cgi-bin/message/custom/send' && req.method === 'POST')
        return sendCustomMessage(res, query, body)
      answer(res, { errcode: 40066, errmsg: 'invalid url' }, 404)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const fake: FakeWechat = {
    url: `http://127.0.0.1:${port}`,
    requests: [],
    sent: [],
    get tokenRequests() {
      return tokenRequests
    },
    follow(openid, at = Date.now()) {
      followers.set(openid, { lastMessageAt: at, sentSinceMessage: 0 })
    },
    revokeTokens() {
      for (const token of tokens.keys()) tokens.set(token, 'revoked')
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, 'expired')
    },
    failNextSend(errcode, errmsg) {
      failures.push([errcode, errmsg])
    },
    ipAllowed: true,
    refuseMenus: false,
    rejectAllTokens: false,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
  return fake
}

// ---- the push side: what WeChat's servers send to the account's server URL ----

/** WeChat's signature: SHA1 of the parts sorted in dictionary order and concatenated. */
export function wechatSignature(parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')
}

const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`

/**
 * A push document the way WeChat writes one: `<xml>` with one element per field, strings in
 * CDATA sections, numbers bare (64-bit MsgIds as bigint). ToUserName and CreateTime are filled in when not given.
 *
 * @example
 * ```ts
 * pushXml({ FromUserName: 'oUser', MsgType: 'text', Content: '你好', MsgId: 24386421187461234n })
 * ```
 */
export function pushXml(fields: Record<string, string | number | bigint>): string {
  const all = { ToUserName: 'gh_0123456789ab', CreateTime: Math.floor(Date.now() / 1000), ...fields }
  const body = Object.entries(all)
    .map(([name, value]) => `<${name}>${typeof value === 'string' ? cdata(value) : String(value)}</${name}>`)
    .join('\n')
  return `<xml>\n${body}\n</xml>`
}

/**
 * Encrypts a push for safe mode as WeChat does: AES-256-CBC (key = base64(EncodingAESKey + "="),
 * IV = its first 16 bytes) over random(16) + length(4, big-endian) + xml + AppID, PKCS#7-padded to
 * a multiple of 32 bytes; base64.
 */
export function encryptForWechat(xml: string, encodingAesKey: string, appId: string): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  const message = Buffer.from(xml, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(message.length)
  const plain = Buffer.concat([randomBytes(16), length, message, Buffer.from(appId, 'utf8')])
  const pad = 32 - (plain.length % 32)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
    'base64',
  )
}

/** A webhook request as the plugin's handler receives it. */
export interface CallbackRequest {
  method: 'GET' | 'POST'
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  body: string
}

export interface SignOptions {
  token: string
  /** Unix seconds; default now */
  timestamp?: number
  nonce?: string
}

function signedQuery(options: SignOptions): { signature: string; timestamp: string; nonce: string } {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE())
  return { signature: wechatSignature([options.token, timestamp, nonce]), timestamp, nonce }
}

/**
 * The GET WeChat sends when an admin saves the server configuration.
 *
 * @example
 * ```ts
 * await plugin.webhook('callback', verificationRequest({ token: 'Tok3n' }, '7158293'))
 * ```
 */
export function verificationRequest(options: SignOptions, echostr: string): CallbackRequest {
  return { method: 'GET', path: '', query: { ...signedQuery(options), echostr }, headers: {}, body: '' }
}

export interface PushOptions extends SignOptions {
  /** plaintext (明文), compatible (兼容: both) or safe (安全: encrypted only); default plaintext */
  mode?: 'plaintext' | 'compatible' | 'safe'
  encodingAesKey?: string
  appId?: string
}

/**
 * The POST WeChat sends for a message or event: the signature in the query (plus encrypt_type and
 * msg_signature in compatible and safe mode) and the XML body.
 *
 * @example
 * ```ts
 * await plugin.webhook('callback', pushRequest({ token: 'Tok3n' }, pushXml({ FromUserName: 'oUser', MsgType: 'text', Content: '你好', MsgId: 1 })))
 * ```
 */
export function pushRequest(options: PushOptions, xml: string): CallbackRequest {
  const query = { ...signedQuery(options), openid: /<FromUserName><!\[CDATA\[([^\]]*)/.exec(xml)?.[1] ?? '' }
  const headers = { 'content-type': 'text/xml' }
  const mode = options.mode ?? 'plaintext'
  if (mode === 'plaintext') return { method: 'POST', path: '', query, headers, body: xml }
  const encrypt = encryptForWechat(xml, options.encodingAesKey ?? '', options.appId ?? '')
  const msgSignature = wechatSignature([options.token, query.timestamp, query.nonce, encrypt])
  const toUser = /<ToUserName>([\s\S]*?)<\/ToUserName>/.exec(xml)?.[0] ?? ''
  const body =
    mode === 'safe'
      ? `<xml>\n${toUser}\n<Encrypt>${cdata(encrypt)}</Encrypt>\n</xml>`
      : xml.replace('</xml>', `<Encrypt>${cdata(encrypt)}</Encrypt>\n</xml>`)
  return {
    method: 'POST',
    path: '',
    query: { ...query, encrypt_type: 'aes', msg_signature: msgSignature },
    headers,
    body,
  }
}
