export interface PluginLogEntry {
  at: string
  level: 'debug' | 'info' | 'warn' | 'error'
  message: string
  fields?: Record<string, unknown>
}

/** the longest message kept, in characters */
export const MAX_LOG_MESSAGE_CHARS = 2000
/** the most JSON one entry's fields may take; larger ones are kept cut, as text, under `fields.truncated` */
export const MAX_LOG_FIELDS_CHARS = 4096
/** the most all of one plugin's entries may take together (messages and fields' JSON), in characters */
export const MAX_LOG_TOTAL_CHARS = 256 * 1024

/** The fields as a copy, or their JSON cut to the limit when they are larger (or not JSON at all). */
function boundedFields(fields: Record<string, unknown>): { fields: Record<string, unknown>; chars: number } {
  let json: string | undefined
  try {
    json = JSON.stringify(fields)
  } catch (error) {
    const truncated = `(not JSON: ${(error as Error).message})`.slice(0, MAX_LOG_FIELDS_CHARS)
    return { fields: { truncated }, chars: truncated.length }
  }
  if (json === undefined) return { fields: {}, chars: 2 }
  if (json.length <= MAX_LOG_FIELDS_CHARS)
    return { fields: JSON.parse(json) as Record<string, unknown>, chars: json.length }
  const truncated = `${json.slice(0, MAX_LOG_FIELDS_CHARS - 1)}…`
  return { fields: { truncated }, chars: truncated.length }
}

/**
 * The recent log lines of one plugin on this instance (its own `ctx.log` calls and the host's
 * notes on its failures), bounded so a chatty plugin cannot grow the heap: at most `capacity`
 * entries, each message at most 2,000 characters and its fields at most 4 KB of JSON (larger
 * fields are kept as their cut JSON under `fields.truncated`), and all entries together at most
 * `maxTotalChars`; the oldest go first.
 */
export class PluginLog {
  private readonly entries: Array<{ entry: PluginLogEntry; chars: number }> = []
  private totalChars = 0

  constructor(
    private readonly capacity = 200,
    readonly maxTotalChars = MAX_LOG_TOTAL_CHARS,
  ) {}

  add(level: PluginLogEntry['level'], message: string, fields?: Record<string, unknown>): void {
    const text = String(message).slice(0, MAX_LOG_MESSAGE_CHARS)
    const entry: PluginLogEntry = { at: new Date().toISOString(), level, message: text }
    let chars = text.length
    if (fields !== undefined && fields !== null) {
      const bounded = boundedFields(fields)
      entry.fields = bounded.fields
      chars += bounded.chars
    }
    this.entries.push({ entry, chars })
    this.totalChars += chars
    while (this.entries.length > 1 && (this.entries.length > this.capacity || this.totalChars > this.maxTotalChars))
      this.totalChars -= this.entries.shift()!.chars
  }

  /** newest first */
  recent(limit = 100): PluginLogEntry[] {
    return this.entries
      .slice(-limit)
      .reverse()
      .map((e) => e.entry)
  }
}
