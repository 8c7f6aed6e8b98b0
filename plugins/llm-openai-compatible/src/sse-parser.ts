/** An incremental server-sent-events reader: feed it text as it arrives, get complete events' data. */
export interface SseParser {
  /** adds a piece of the body (split anywhere) and returns the data of every event it completed */
  push(chunk: string): string[]
  /** the body ended: returns the data of a last event the server did not close with a blank line */
  end(): string[]
}

/**
 * Creates a parser for the `text/event-stream` format (WHATWG HTML, "Server-sent events"):
 * lines end with LF, CRLF or CR; a blank line ends an event; `data:` lines are joined with LF;
 * lines starting with `:` are comments (DeepSeek sends `: keep-alive` while a request waits);
 * other fields (`event`, `id`, `retry`) are not used by Chat Completions and are skipped.
 *
 * @example
 * ```ts
 * const sse = createSseParser()
 * sse.push('data: {"a"') // []
 * sse.push(':1}\n\n')    // ['{"a":1}']
 * ```
 */
export function createSseParser(): SseParser {
  let buffer = ''
  let data: string[] = []
  // a CR at the end of a chunk may be the first half of a CRLF split across chunks
  let skipLeadingLf = false
  let started = false

  function line(text: string, events: string[]): void {
    if (text === '') {
      if (data.length > 0) events.push(data.join('\n'))
      data = []
      return
    }
    if (text.startsWith(':')) return
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') data.push(value)
  }

  return {
    push(chunk) {
      const events: string[] = []
      // the kept buffer never holds a line break, so only the new text needs scanning
      const scanFrom = buffer.length
      buffer += chunk
      if (!started && buffer !== '') {
        started = true
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1)
      }
      if (skipLeadingLf && buffer !== '') {
        if (buffer.startsWith('\n')) buffer = buffer.slice(1)
        skipLeadingLf = false
      }
      let start = 0
      for (let i = scanFrom; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i)
        if (c !== 10 && c !== 13) continue
        line(buffer.slice(start, i), events)
        if (c === 13) {
          if (i + 1 === buffer.length) skipLeadingLf = true
          else if (buffer.charCodeAt(i + 1) === 10) i++
        }
        start = i + 1
      }
      buffer = buffer.slice(start)
      return events
    },
    end() {
      const events: string[] = []
      // lenient on purpose: some gateways close the body right after the last data line
      if (buffer !== '') line(buffer, events)
      buffer = ''
      line('', events)
      return events
    },
  }
}
