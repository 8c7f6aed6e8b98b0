/**
 * The code that runs inside each isolate before the plugin's bundle (with `evalClosure`):
 *   $0  a Reference to the host's `bridge.call` (answers `ctx` operations, JSON text in and out)
 *   $1  the host's `bridge.notify` as a fire-and-forget Callback (`ctx.log`, `ctx.progress`)
 *   $2  settings as JSON: { name, version, maxResultChars }
 * It returns `{ install, dispatch }`. It keeps both host functions in its closure, never on a
 * global, and captures the built-ins it uses before plugin code can replace them. Nothing here
 * has to be trusted by the host: every answer is checked again on the host side.
 *
 * Kept as a string (not a function's source) so that nothing a build tool or coverage
 * instrumentation adds to our own code ends up inside the isolate.
 */
export const ISOLATE_BOOTSTRAP = String.raw`
'use strict'
const bridge = $0
const notifyHost = $1
const JSONparse = JSON.parse
const JSONstringify = JSON.stringify
const settings = JSONparse($2)
const apply = Reflect.apply
const freeze = Object.freeze
const create = Object.create
const objectKeys = Object.keys
const defineProperty = Object.defineProperty
const ErrorOf = Error
const TypeErrorOf = TypeError
const StringOf = String
const promiseThen = Promise.prototype.then
const promiseReject = Promise.reject.bind(Promise)
const sliceOf = String.prototype.slice
const bridgeApply = bridge.apply

// WebAssembly memory lives outside the isolate's heap limit: a plugin could fill the host's RAM
delete globalThis.WebAssembly

function record(fields) {
  const out = create(null)
  for (const key of objectKeys(fields)) out[key] = fields[key]
  return freeze(out)
}
const APPLY_OPTIONS = record({ arguments: record({ copy: true }), result: record({ promise: true, copy: true }) })
const LIMITS = record({ hostCalls: 50000, pending: 256, logs: 1000, progress: 20000 })

function clip(text, max) {
  return text.length > max ? apply(sliceOf, text, [0, max]) + '…' : text
}

function safeMessage(error) {
  try {
    if (error !== null && (typeof error === 'object' || typeof error === 'function') && typeof error.message === 'string')
      return error.message
    return StringOf(error)
  } catch (_) {
    return 'a value that cannot be read'
  }
}

function hostError(data) {
  const error = new ErrorOf(data.message)
  if (typeof data.code === 'string') {
    defineProperty(error, 'code', { value: data.code, enumerable: true, writable: true, configurable: true })
    defineProperty(error, 'retryable', { value: data.retryable === true, enumerable: true, writable: true, configurable: true })
    if (data.details !== undefined)
      defineProperty(error, 'details', { value: data.details, enumerable: true, writable: true, configurable: true })
  }
  return error
}

function hostCall(state, op, args) {
  if (state.ended) return promiseReject(new ErrorOf('ctx was used after its call ended (' + op + '): use ctx only while the handler runs'))
  if (state.pending >= LIMITS.pending) return promiseReject(new ErrorOf('more than ' + LIMITS.pending + ' ctx calls at once: await some before starting more'))
  if (++state.hostCalls > LIMITS.hostCalls) return promiseReject(new ErrorOf('more than ' + LIMITS.hostCalls + ' ctx calls in one call'))
  let json
  try {
    json = JSONstringify(args)
  } catch (error) {
    return promiseReject(new TypeErrorOf(op + ': the arguments cannot be sent to the host as JSON (' + safeMessage(error) + ')'))
  }
  state.pending++
  const sent = apply(bridgeApply, bridge, [undefined, [state.id, op, json], APPLY_OPTIONS])
  return apply(promiseThen, sent, [
    function (text) {
      state.pending--
      const reply = JSONparse(text)
      if (reply.ok === true) return reply.value
      throw hostError(reply.error)
    },
    function (error) {
      state.pending--
      throw error
    },
  ])
}

function note(state, op, args, budget) {
  if (state.ended || ++state[budget] > LIMITS[budget]) return
  let json
  try {
    json = JSONstringify(args)
  } catch (_) {
    return
  }
  notifyHost(state.id, op, json)
}

function requireString(value, what) {
  if (typeof value !== 'string') throw new TypeErrorOf(what + ' must be a string')
}

async function* readChunks(state, body) {
  let finished = false
  try {
    for (;;) {
      const piece = await hostCall(state, 'body.read', [body])
      if (piece === null) {
        finished = true
        return
      }
      yield piece
    }
  } finally {
    if (!finished && !state.ended) apply(promiseThen, hostCall(state, 'body.cancel', [body]), [undefined, function () {}])
  }
}

function makeResponse(state, meta) {
  const body = meta.body
  let used = false
  function take() {
    if (used) throw new TypeErrorOf('the response body was already read: text(), json() and chunks() read it once')
    used = true
  }
  return freeze({
    status: meta.status,
    ok: meta.ok,
    headers: freeze(meta.headers),
    text: async function () {
      take()
      return hostCall(state, 'body.text', [body])
    },
    json: async function () {
      take()
      return JSONparse(await hostCall(state, 'body.text', [body]))
    },
    chunks: function () {
      take()
      return readChunks(state, body)
    },
  })
}

function makeContext(state, config, secrets) {
  const call = function (op, args) {
    return hostCall(state, op, args)
  }
  const log = function (level) {
    return function (message, fields) {
      note(state, 'log', [level, typeof message === 'string' ? message : safeMessage(message), fields], 'logs')
    }
  }
  const hash = function (name) {
    return async function (text) {
      requireString(text, 'ctx.crypto.' + name + ': the text')
      return call('crypto.' + name, [text])
    }
  }
  return freeze({
    plugin: record({ name: settings.name, version: settings.version }),
    config: config,
    secrets: secrets,
    fetch: async function (url, init) {
      requireString(url, 'ctx.fetch: the URL')
      return makeResponse(state, await call('fetch', [url, init === undefined ? null : init]))
    },
    kv: freeze({
      get: async function (key) {
        requireString(key, 'ctx.kv.get: the key')
        return call('kv.get', [key])
      },
      set: async function (key, value, options) {
        requireString(key, 'ctx.kv.set: the key')
        await call('kv.set', [key, value, options === undefined || options === null ? null : options.ttlSeconds])
      },
      delete: async function (key) {
        requireString(key, 'ctx.kv.delete: the key')
        await call('kv.delete', [key])
      },
      list: async function (prefix) {
        return call('kv.list', [prefix === undefined ? '' : prefix])
      },
    }),
    cache: freeze({
      get: async function (key) {
        requireString(key, 'ctx.cache.get: the key')
        return call('cache.get', [key])
      },
      set: async function (key, value, ttlSeconds) {
        requireString(key, 'ctx.cache.set: the key')
        await call('cache.set', [key, value, ttlSeconds])
      },
    }),
    log: freeze({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }),
    emit: async function (topic, data) {
      requireString(topic, 'ctx.emit: the topic')
      await call('emit', [topic, data])
    },
    channel: freeze({
      receive: async function (channel, message) {
        requireString(channel, 'ctx.channel.receive: the channel')
        return call('channel.receive', [channel, message])
      },
    }),
    crypto: freeze({
      sha1: hash('sha1'),
      sha256: hash('sha256'),
      md5: hash('md5'),
      hmacSha256: async function (key, text, encoding) {
        requireString(key, 'ctx.crypto.hmacSha256: the key')
        requireString(text, 'ctx.crypto.hmacSha256: the text')
        return call('crypto.hmacSha256', [key, text, encoding === undefined ? 'hex' : encoding])
      },
      randomId: async function () {
        return call('crypto.randomId', [])
      },
    }),
    progress: function (partial) {
      note(state, 'progress', [typeof partial === 'string' ? partial : safeMessage(partial)], 'progress')
    },
  })
}

let table = null

function group(handlers, name) {
  const source = handlers[name]
  const out = create(null)
  if (source === undefined || source === null) return [null, out]
  if (typeof source !== 'object') throw new TypeErrorOf('handlers.' + name + ' must be an object of functions')
  for (const key of objectKeys(source)) {
    if (typeof source[key] !== 'function') throw new TypeErrorOf('handlers.' + name + '.' + key + ' is not a function')
    out[key] = source[key]
  }
  return [source, out]
}

function optionalFunction(handlers, name) {
  const fn = handlers[name]
  if (fn === undefined || fn === null) return null
  if (typeof fn !== 'function') throw new TypeErrorOf('handlers.' + name + ' is not a function')
  return fn
}

function install() {
  const exported = globalThis.__switchboardPlugin
  const handlers =
    exported !== null && typeof exported === 'object' && exported.default !== undefined ? exported.default : exported
  if (handlers === null || typeof handlers !== 'object')
    throw new TypeErrorOf('the bundle defines no handlers: expected var __switchboardPlugin = { default: handlers } (build it with switchboard plugin build)')
  const actions = group(handlers, 'actions')
  const nodes = group(handlers, 'nodes')
  const webhooks = group(handlers, 'webhooks')
  const sockets = group(handlers, 'sockets')
  const events = group(handlers, 'events')
  table = record({
    handlers: handlers,
    actions: actions,
    nodes: nodes,
    webhooks: webhooks,
    sockets: sockets,
    events: events,
    send: optionalFunction(handlers, 'send'),
    healthCheck: optionalFunction(handlers, 'healthCheck'),
  })
  return JSONstringify({
    actions: objectKeys(actions[1]),
    nodes: objectKeys(nodes[1]),
    webhooks: objectKeys(webhooks[1]),
    sockets: objectKeys(sockets[1]),
    events: objectKeys(events[1]),
    send: table.send !== null,
    healthCheck: table.healthCheck !== null,
  })
}

function target(call, ctx) {
  switch (call.kind) {
    case 'action':
      return [table.actions[1][call.name], table.actions[0], [call.input, ctx]]
    case 'node':
      return [table.nodes[1][call.name], table.nodes[0], [call.input, ctx]]
    case 'webhook':
      return [table.webhooks[1][call.name], table.webhooks[0], [call.request, ctx]]
    case 'socket':
      return [table.sockets[1][call.name], table.sockets[0], [call.event, ctx]]
    case 'event':
      return [table.events[1][call.topic], table.events[0], [call.data, ctx]]
    case 'send':
      return [table.send, table.handlers, [call.input, ctx]]
    case 'healthCheck':
      return [table.healthCheck, table.handlers, [ctx]]
    default:
      return [undefined]
  }
}

function outputFailure(reason, message) {
  return JSONstringify(record({ ok: false, kind: 'output', reason: reason, message: clip(message, 2000) }))
}

function encodeValue(value) {
  const max = settings.maxResultChars
  let budget = max
  let tooLarge = false
  function replacer(key, v) {
    const type = typeof v
    if (type === 'function' || type === 'symbol')
      throw new TypeErrorOf('a ' + type + ' cannot leave the sandbox' + (key === '' ? '' : ' (at key "' + clip(key, 100) + '")'))
    budget -= key.length + (type === 'string' ? v.length : 8)
    if (budget < 0) {
      tooLarge = true
      throw new ErrorOf('too large')
    }
    return v
  }
  let text
  try {
    text = JSONstringify(value, replacer)
  } catch (error) {
    if (tooLarge) return outputFailure('too-large', 'the result is larger than ' + max + ' characters of JSON')
    return outputFailure('not-json', safeMessage(error))
  }
  if (text === undefined) return '{"ok":true}'
  if (text.length > max) return outputFailure('too-large', 'the result is larger than ' + max + ' characters of JSON')
  return '{"ok":true,"value":' + text + '}'
}

function encodeError(error) {
  let code
  let retryable
  let details
  let name
  let message
  try {
    if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
      const c = error.code
      const m = error.message
      const r = error.retryable
      if (typeof c === 'string' && typeof m === 'string' && typeof r === 'boolean') {
        code = c
        retryable = r
        details = error.details
      }
      if (typeof m === 'string') message = m
      if (typeof error.name === 'string') name = clip(error.name, 100)
    }
  } catch (_) {
    // a getter that throws: fall back to what could be read
  }
  if (message === undefined) message = safeMessage(error)
  let detailsJson
  if (details !== undefined) {
    try {
      detailsJson = JSONstringify(details)
      if (detailsJson !== undefined && detailsJson.length > 65536) detailsJson = undefined
    } catch (_) {
      detailsJson = undefined
    }
  }
  const text = JSONstringify(
    record({
      ok: false,
      kind: code === undefined ? 'threw' : 'coded',
      code: code === undefined ? null : clip(code, 100),
      retryable: retryable === true,
      name: name === undefined ? null : name,
      message: clip(message, 4000),
    }),
  )
  return detailsJson === undefined ? text : apply(sliceOf, text, [0, -1]) + ',"details":' + detailsJson + '}'
}

async function dispatch(id, callJson, configJson, secretsJson) {
  const state = { id: id, ended: false, hostCalls: 0, pending: 0, logs: 0, progress: 0 }
  try {
    const call = JSONparse(callJson)
    const ctx = makeContext(state, JSONparse(configJson), JSONparse(secretsJson))
    const found = target(call, ctx)
    if (typeof found[0] !== 'function') return '{"ok":false,"kind":"not-found"}'
    const value = await apply(found[0], found[1], found[2])
    return encodeValue(value)
  } catch (error) {
    return encodeError(error)
  } finally {
    state.ended = true
  }
}

return record({ install: install, dispatch: dispatch })
`
