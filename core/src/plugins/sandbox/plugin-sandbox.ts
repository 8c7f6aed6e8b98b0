/**
 * The sandbox's public contract: plain, JSON-able data in and out, errors as `{ code, message,
 * retryable, details }`. Nothing here names isolated-vm, so the technology behind it (an isolate
 * today; a worker thread or a process later) can change without touching callers (STYLE §3.7).
 */

/** Per-plugin resource limits, already capped by the host's settings. */
export interface SandboxLimits {
  /** heap limit of the plugin's isolate */
  memoryMb: number
  /** CPU time one call may use, counted over the whole call (before and after its awaits) */
  cpuMs: number
  /** wall-clock time one call may take, waiting for fetches included */
  timeoutMs: number
  /** the most one `ctx.fetch` response body may hold */
  maxResponseBytes: number
  /** the longest one `ctx.fetch` may take (a plugin's own `timeoutMs` can only shorten it) */
  fetchTimeoutMs: number
  /** the most a call's result may weigh as JSON; 4 MiB when omitted */
  maxResultBytes?: number
}

/** What to run in the plugin: one of the handler kinds of `PluginHandlers` (plugin SDK). */
export type SandboxCall =
  | { kind: 'action'; name: string; input: unknown }
  /** `input` is a `NodeInput`, the value a `NodeOutput` */
  | { kind: 'node'; name: string; input: unknown }
  /** `request` is a `WebhookRequest`, the value a `WebhookResponse` */
  | { kind: 'webhook'; name: string; request: unknown }
  /** `event` is a `SocketEvent`, the value a `SocketAnswer` */
  | { kind: 'socket'; name: string; event: unknown }
  | { kind: 'send'; input: unknown }
  | { kind: 'event'; topic: string; data: unknown }
  | { kind: 'healthCheck' }

/** One call: what to run, with the configuration and secrets it runs with (copied in per call). */
export interface SandboxInvocation {
  call: SandboxCall
  config: unknown
  secrets: unknown
  /** receives what the handler passes to `ctx.progress` while the call runs */
  onProgress?: (partial: string) => void
}

/** A failure as plain data; `code` is one of docs/errors.md or the plugin's own. */
export interface SandboxError {
  code: string
  message: string
  retryable: boolean
  details?: unknown
}

/** What a call gave: its value (plain JSON data), or the failure as data. */
export type SandboxResult = { ok: true; value: unknown } | { ok: false; error: SandboxError }

/** Counters of one sandbox since it was created. */
export interface SandboxStats {
  calls: number
  failures: number
  /** how many times the isolate was thrown away (timeout, memory limit, crash) and made again */
  restarts: number
  /** heap in use at the last sample (taken after calls, at most once a second) */
  heapUsedBytes: number
  /** CPU time spent in the plugin's code, over all its isolates */
  cpuTimeMs: number
  /** calls running now */
  inFlight: number
}

/** One plugin's code, loaded and ready to take calls. */
export interface PluginSandbox {
  /** Runs one call. Never rejects: every failure comes back as `{ ok: false, error }`. */
  invoke(invocation: SandboxInvocation): Promise<SandboxResult>
  stats(): SandboxStats
  /** Stops the plugin's code; calls still running fail and later calls are refused. */
  dispose(): Promise<void>
}

/**
 * The hosts a plugin declared (`permissions.hosts`): `api.example.com` (default port only),
 * `api.example.com:8443`, `*.example.com` (subdomains only), `config:<field>` (the host and port
 * of the URL in that config field, read from the config of each call).
 */
export type HostPolicy = readonly string[]

/**
 * What the host grants a plugin behind `ctx`. The implementations enforce the plugin's
 * permissions (storage quota, event topics…); the sandbox only carries values to and from them.
 * Errors they throw should carry a `code` (a Switchboard error), which the plugin then sees.
 */
export interface HostCapabilities {
  kv: {
    get(key: string): Promise<unknown>
    set(key: string, value: unknown, ttlSeconds?: number): Promise<void>
    delete(key: string): Promise<void>
    list(prefix: string): Promise<string[]>
  }
  cache: {
    get(key: string): Promise<unknown>
    set(key: string, value: unknown, ttlSeconds: number): Promise<void>
  }
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void
  emit(topic: string, data: unknown): Promise<void>
  receive(channel: string, message: unknown): Promise<{ duplicate: boolean }>
}

/** What `createPluginSandbox` needs: the plugin's identity, its bundle, and what it was granted. */
export interface CreatePluginSandboxOptions {
  name: string
  version: string
  /** the bundle (`dist/plugin.js`): an IIFE script that sets `var __switchboardPlugin = { default: handlers }` */
  code: string
  hosts: HostPolicy
  limits: SandboxLimits
  capabilities: HostCapabilities
}
