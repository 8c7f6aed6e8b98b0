export interface PluginLogEntry {
  at: string
  level: 'debug' | 'info' | 'warn' | 'error'
  message: string
  fields?: Record<string, unknown>
}

/**
 * The recent log lines of one plugin on this instance (its own `ctx.log` calls and the host's
 * notes on its failures), bounded so a chatty plugin cannot grow the heap.
 */
export class PluginLog {
  private readonly entries: PluginLogEntry[] = []
  constructor(private readonly capacity = 200) {}

  add(level: PluginLogEntry['level'], message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ at: new Date().toISOString(), level, message: message.slice(0, 2000), fields })
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity)
  }

  /** newest first */
  recent(limit = 100): PluginLogEntry[] {
    return this.entries.slice(-limit).reverse()
  }
}
