import type { BusinessHoursState } from '../../calendar/index.js'

/**
 * Everything a flow does to the world goes through this interface: real runs get an
 * implementation backed by the modules (tickets, routing, NLU…), the simulator one that only
 * records what would have happened. Node executors never touch the database directly.
 */
export interface FlowEffects {
  classifyIntent(text: string): Promise<{ intent: string | null; confidence: number }>
  searchKnowledgeBase(
    text: string,
    limit: number,
  ): Promise<Array<{ id: string; question: string; answer: string; score: number }>>
  handoff(input: { queue: string; priority: number; skills: string[] }): Promise<void>
  /** whether the queue (by name) is within its business hours at `at`, and when that changes */
  queueOpen(queue: string, at: Date): Promise<BusinessHoursState>
  updateConversation(input: { tags?: string[]; priority?: number; attributes?: Record<string, unknown> }): Promise<void>
  createTicket(input: { subject: string; priority: string; category?: string; tier?: string }): Promise<{ id: string }>
  updateTicket(input: { id: string; status?: string; priority?: string; tier?: string }): Promise<void>
  /**
   * Promises a callback for the run's conversation: not before `at` (as soon as the queue is open
   * when not given), moved to the queue's next opening when it is closed then; `dueAt` is when it
   * will be due (when the effect knows it).
   */
  scheduleCallback(input: {
    at?: Date
    note: string
    phone?: string
    queue?: string
    mode?: 'voice' | 'message'
    windowMs?: number
  }): Promise<{ id: string; dueAt?: Date }>
  sendSurvey(input: { at: Date; survey: string }): Promise<{ id: string }>
  /**
   * Changes a queue's routing settings (by name): the overflow wait (null: no overflow), its
   * priority, and standby members added (by email) or removed (only standby ones).
   */
  updateQueue(input: {
    queue: string
    overflowAfterSeconds?: number | null
    priority?: number
    addStandby?: string[]
    removeStandby?: string[]
  }): Promise<void>
  httpRequest(input: {
    method: string
    url: string
    headers: Record<string, string>
    body?: unknown
    timeoutMs: number
  }): Promise<{ status: number; body: unknown }>
  callPluginAction(action: string, input: unknown): Promise<unknown>
  /** the contact and conversation the run is about, for expressions */
  context(): Promise<{ contact: Record<string, unknown> | null; conversation: Record<string, unknown> | null }>
}
