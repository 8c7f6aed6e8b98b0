import type { FlowNode } from '../document/flow-document.js'
import type { FlowEffects } from './flow-effects.js'

/** What a run is waiting for while it is persisted between turns. */
export interface WaitSpec {
  for: 'input' | 'timer' | 'event'
  /** input/event: give up after this long and resume with a timeout */
  timeoutMs?: number
  /** timer: resume at this time */
  until?: string
  /** event: the topic that resumes it */
  topic?: string
}

export type ResumeEvent =
  | { kind: 'input'; text?: string; digits?: string }
  | { kind: 'timeout' }
  | { kind: 'timer' }
  | { kind: 'event'; topic: string; data?: unknown }

/** Something the flow produced for the outside: a message to the customer, a handoff… */
export type FlowOutput =
  | { kind: 'message'; text: string; quickReplies?: string[]; media?: { url: string; type: string } }
  | { kind: 'handoff'; queue: string; priority: number; skills: string[] }
  | { kind: 'voice.play'; text?: string; file?: string; language?: string }
  | { kind: 'voice.gather'; maxDigits: number; timeoutMs: number }
  | { kind: 'voice.record'; maxSeconds: number }
  | { kind: 'voice.transfer'; to: string }
  | { kind: 'voice.hangup' }
  | { kind: string; [field: string]: unknown }

/** How a node hands control back to the engine. */
export type NodeResult =
  | { next: string; output?: Record<string, unknown> }
  | { wait: WaitSpec; state?: unknown; output?: Record<string, unknown> }
  | { end: 'completed' | 'failed'; error?: string }
  | { call: { flow: string }; returnPort: string }

export interface ExecutionContext<Config = Record<string, unknown>> {
  node: FlowNode & { config: Config }
  runId: string
  channel: 'text' | 'voice'
  /** the run's clock (the simulator moves it) */
  now(): Date
  vars: Record<string, unknown>
  /** the node's own state kept across its waits (e.g. attempts so far) */
  state: unknown
  /** the last customer input, if any */
  input: { text?: string; digits?: string } | undefined
  /** evaluates a JSONata expression over { vars, contact, conversation, input, now } */
  evaluate(expression: string): Promise<unknown>
  /** fills {{ expression }} placeholders in a text */
  render(template: string): Promise<string>
  emit(output: FlowOutput): void
  /** whether an edge leaves this node's `port`: a node may act differently when an optional port is wired */
  connected(port: string): boolean
  effects: FlowEffects
}
