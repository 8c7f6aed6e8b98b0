import { ErrorCode } from '../../errors/index.js'
import type { CallState } from './call-state.js'
import type { SandboxResult } from './plugin-sandbox.js'
import { parsePluginJson } from './plugin-json.js'
import { failed, HOST_CODES, toSandboxError } from './sandbox-errors.js'

/** room for the envelope and an error's details around the result itself */
const ENVELOPE_SLACK = 128 * 1024
const PLUGIN_CODE = /^[A-Z][A-Z0-9_]{2,99}$/

type Envelope =
  | { ok: true; value?: unknown }
  | { ok: false; kind: 'not-found' }
  | { ok: false; kind: 'output'; reason: string; message: string }
  | {
      ok: false
      kind: 'threw' | 'coded'
      code: string | null
      retryable: boolean
      name: string | null
      message: string
      details?: unknown
    }

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : ''
}

/**
 * Turns what the in-isolate dispatcher answered (JSON text) into a result. The isolate is not
 * trusted: the text is size-bounded and cleaned like any plugin value, and an error code the
 * host owns (`SB_ERR_PLUGIN_*`…) is kept only when the host really handed it to the plugin in
 * this call; otherwise the plugin made it up and the failure is reported as its own throw.
 */
export function readEnvelope(answer: unknown, call: CallState, maxResultChars: number, name: string): SandboxResult {
  let envelope: Envelope
  try {
    envelope = parsePluginJson(answer, maxResultChars + ENVELOPE_SLACK) as Envelope
  } catch (error) {
    return { ok: false, error: toSandboxError(error) }
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.ok !== 'boolean')
    return failed(ErrorCode.PLUGIN_INVALID_OUTPUT, `${name} answered something that is not a result`, {
      details: { reason: 'malformed' },
    })
  if (envelope.ok) return { ok: true, value: envelope.value }
  switch (envelope.kind) {
    case 'not-found':
      return failed(ErrorCode.PLUGIN_ACTION_NOT_FOUND, `${name} has no handler for this call`)
    case 'output':
      return failed(
        ErrorCode.PLUGIN_INVALID_OUTPUT,
        `${name} returned a value that cannot leave the sandbox: ${text(envelope.message, 2000)}`,
        {
          details: { reason: text(envelope.reason, 50) },
        },
      )
    case 'coded':
    case 'threw': {
      const message = text(envelope.message, 4000)
      const code = typeof envelope.code === 'string' ? envelope.code : null
      const details = envelope.details
      if (
        envelope.kind === 'coded' &&
        code &&
        PLUGIN_CODE.test(code) &&
        (!HOST_CODES.has(code) || call.handedCodes.has(code))
      )
        return failed(code, message, { retryable: envelope.retryable === true, details })
      return failed(ErrorCode.PLUGIN_THREW, `${name} threw: ${message}`, {
        details: {
          ...(typeof envelope.name === 'string' ? { name: text(envelope.name, 100) } : {}),
          ...(code ? { thrownCode: code.slice(0, 100) } : {}),
        },
      })
    }
    default:
      return failed(ErrorCode.PLUGIN_INVALID_OUTPUT, `${name} answered something that is not a result`, {
        details: { reason: 'malformed' },
      })
  }
}
