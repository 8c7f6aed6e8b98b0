import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the fake answers to the next chat completion request. */
export type FakeReply =
  /** a completion; streamed as one delta per element when the request asks for `stream: true` */
  | { content: string | string[]; model?: string; finishReason?: string }
  /** an error with OpenAI's body `{ error: { message, type, param, code } }` */
  | { status: number; message: string; type?: string; code?: string | null; headers?: Record<string, string> }
  /** any body, as is */
  | { raw: string; contentType?: string; status?: number }
  /** a stream that goes wrong: cut off before [DONE], or an error event in the middle */
  | { content: string[]; cutOff: true }
  | { content: string[]; errorAfter: number; message: string }

export interface FakeOpenAiOptions {
  /** the key the server accepts; undefined: no auth at all (Ollama, vLLM) */
  apiKey?: string
  models?: string[]
  /** false: a 400 for `response_format`, like servers whose model has no JSON mode */
  jsonMode?: boolean
  /** DeepSeek-style `: keep-alive` comments before the first event */
  keepAlive?: boolean
  /** write the SSE body in pieces of at most this many bytes (splits lines and UTF-8 characters) */
  splitBytes?: number
}

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown> | undefined
}

const invalidRequest = 'invalid_request_error'

/**
 * A local server speaking the OpenAI Chat Completions protocol as documented: `POST
 * /v1/chat/completions` (Bearer auth, JSON or server-sent events), `GET /v1/models`, and the
 * `{ error: { message, type, param, code } }` bodies with 400/401/404/429/5xx. Each test queues
 * the replies it needs with `reply()`; every request is recorded.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}) {
  const models = options.models ?? ['gpt-4o-mini']
  const queue: Array<FakeReply & { delayMs?: number }> = []
  const requests: RecordedRequest[] = []
  const timers = new Set<NodeJS.Timeout>()
  const state = { eventsWritten: 0 }

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })

  function sendError(
    res: ServerResponse,
    status: number,
    message: string,
    type: string,
    code: string | null,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify({ error: { message, type, param: null, code } }))
  }

  function chunkEvent(model: string, delta: Record<string, unknown>, finishReason: string | null) {
    const chunk = {
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    }
    return `data: ${JSON.stringify(chunk)}\n\n`
  }

  async function writeStream(res: ServerResponse, events: string[]) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    for (const event of events) {
      if (res.destroyed) return
      const bytes = Buffer.from(event)
      const size = options.splitBytes ?? bytes.length
      for (let at = 0; at < bytes.length; at += size) {
        res.write(bytes.subarray(at, at + size))
        if (options.splitBytes) await wait(2)
      }
      state.eventsWritten++
    }
    res.end()
  }

  async function answer(res: ServerResponse, body: Record<string, unknown>, reply: FakeReply) {
    const model = String(body.model)
    if ('status' in reply && 'message' in reply)
      return sendError(
        res,
        reply.status,
        reply.message,
        reply.type ?? invalidRequest,
        reply.code ?? null,
        reply.headers,
      )
    if ('raw' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' })
      return res.end(reply.raw)
    }
    const parts = Array.isArray(reply.content) ? reply.content : [reply.content]
    if (body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(
        JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: 'model' in reply && reply.model ? reply.model : model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: parts.join('') },
              logprobs: null,
              finish_reason: 'finishReason' in reply && reply.finishReason ? reply.finishReason : 'stop',
            },
          ],
          usage: { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
        }),
      )
    }
    const events: string[] = options.keepAlive ? [': keep-alive\n\n', ': keep-alive\n\n'] : []
    events.push(chunkEvent(model, { role: 'assistant', content: '' }, null))
    parts.forEach((part, i) => {
      if ('errorAfter' in reply && i === reply.errorAfter)
        events.push(
          `data: ${JSON.stringify({ error: { message: reply.message, type: 'server_error', code: null } })}\n\n`,
        )
      else events.push(chunkEvent(model, { content: part }, null))
    })
    if (!('cutOff' in reply)) events.push(chunkEvent(model, {}, 'stop'), 'data: [DONE]\n\n')
    await writeStream(res, events)
  }

  async function chatCompletions(req: IncomingMessage, res: ServerResponse, text: string) {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(text) as Record<string, unknown>
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.', invalidRequest, null)
    }
    requests[requests.length - 1]!.body = body
    if (typeof body.model !== 'string')
      return sendError(res, 400, 'you must provide a model parameter', invalidRequest, null)
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return sendError(res, 400, "'messages' must contain at least one message", invalidRequest, null)
    if (!models.includes(body.model))
      return sendError(
        res,
        404,
        `The model \`${body.model}\` does not exist or you do not have access to it.`,
        invalidRequest,
        'model_not_found',
      )
    const format = (body.response_format as { type?: string } | undefined)?.type
    if (format === 'json_object') {
      if (options.jsonMode === false)
        return sendError(res, 400, 'This response_format type is unavailable now.', invalidRequest, null)
      // OpenAI's documented rule for JSON mode
      if (!/json/i.test(JSON.stringify(body.messages)))
        return sendError(
          res,
          400,
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
          invalidRequest,
          null,
        )
    }
    const reply = queue.shift() ?? { content: 'OK' }
    if (reply.delayMs) await wait(reply.delayMs)
    if (!res.destroyed) await answer(res, body, reply)
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: undefined })
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`)
        return sendError(
          res,
          401,
          `Incorrect API key provided: ${String(req.headers.authorization ?? '').slice(7, 12)}***. You can find your API key at https://platform.openai.com/account/api-keys.`,
          invalidRequest,
          'invalid_api_key',
        )
      if (req.method === 'POST' && path === '/v1/chat/completions')
        return void chatCompletions(req, res, Buffer.concat(chunks).toString('utf8'))
      if (req.method === 'GET' && path === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end(
          JSON.stringify({
            object: 'list',
            data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })),
          }),
        )
      }
      sendError(res, 404, `Invalid URL (${req.method} ${path})`, invalidRequest, null)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    /** the base URL to configure: `http://127.0.0.1:<port>/v1` */
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    state,
    /** queues the replies to the next requests, in order */
    reply(...replies: Array<FakeReply & { delayMs?: number }>) {
      queue.push(...replies)
    },
    async close() {
      for (const t of timers) clearTimeout(t)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type FakeOpenAi = Awaited<ReturnType<typeof startFakeOpenAi>>
