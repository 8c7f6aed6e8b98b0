import type { FlowEffects } from '../runtime/flow-effects.js'

export interface SimulationMocks {
  /** results of plugin actions by name, e.g. { "erp.getOrder": { "status": "shipped" } } */
  actions?: Record<string, unknown>
  /** HTTP responses by "METHOD url", e.g. { "GET https://api.example.com/x": { status: 200, body: {} } } */
  http?: Record<string, { status: number; body?: unknown }>
  /** queues by name that are closed (or open) in the simulation; a queue not listed is open */
  queues?: Record<string, { open: boolean; nextChangeAt?: string }>
}

export interface SimulationContext {
  contact?: Record<string, unknown> | null
  conversation?: Record<string, unknown> | null
}

/**
 * Side effects in the simulator: nothing reaches the database, a queue, a ticket system or the
 * network. Each effect is recorded (the outputs show it) and answered plausibly; plugin
 * actions and HTTP calls answer from the test's mocks. NLU and the knowledge base are read-only,
 * so the real ones are used when given.
 */
export function createSimulatedEffects(options: {
  mocks?: SimulationMocks
  context?: SimulationContext
  nlu?: Pick<FlowEffects, 'classifyIntent'>
  kb?: Pick<FlowEffects, 'searchKnowledgeBase'>
}): FlowEffects & { recorded: Array<{ effect: string; input: unknown }> } {
  const recorded: Array<{ effect: string; input: unknown }> = []
  let counter = 0
  const record = (effect: string, input: unknown) => recorded.push({ effect, input })
  return {
    recorded,
    classifyIntent: (text) =>
      options.nlu ? options.nlu.classifyIntent(text) : Promise.resolve({ intent: null, confidence: 0 }),
    searchKnowledgeBase: (text, limit) =>
      options.kb ? options.kb.searchKnowledgeBase(text, limit) : Promise.resolve([]),
    async handoff(input) {
      record('handoff', input)
    },
    async queueOpen(queue) {
      const mock = options.mocks?.queues?.[queue]
      if (!mock) return { open: true, nextChangeAt: null }
      return { open: mock.open, nextChangeAt: mock.nextChangeAt ? new Date(mock.nextChangeAt) : null }
    },
    async updateConversation(input) {
      record('updateConversation', input)
    },
    async createTicket(input) {
      record('createTicket', input)
      return { id: `SIM-${++counter}` }
    },
    async updateTicket(input) {
      record('updateTicket', input)
    },
    async scheduleCallback(input) {
      record('scheduleCallback', input)
      // a queue the test says is closed: due at its next opening, as a real run would be
      const closed = input.queue ? options.mocks?.queues?.[input.queue] : undefined
      const opensAt = closed && !closed.open && closed.nextChangeAt ? new Date(closed.nextChangeAt) : undefined
      const dueAt = opensAt && (!input.at || input.at < opensAt) ? opensAt : input.at
      return { id: `SIM-CALLBACK-${++counter}`, ...(dueAt ? { dueAt } : {}) }
    },
    async sendSurvey(input) {
      record('sendSurvey', input)
      return { id: `SIM-SURVEY-${++counter}` }
    },
    async updateQueue(input) {
      record('updateQueue', input)
    },
    async httpRequest(input) {
      record('httpRequest', { method: input.method, url: input.url })
      const mock = options.mocks?.http?.[`${input.method} ${input.url}`]
      if (!mock)
        throw new Error(
          `no mock for ${input.method} ${input.url} in the simulation (add it to the test's given.mocks.http)`,
        )
      return { status: mock.status, body: mock.body ?? null }
    },
    async callPluginAction(action, input) {
      record('callPluginAction', { action, input })
      const mocks = options.mocks?.actions ?? {}
      if (!(action in mocks))
        throw new Error(
          `no mock for plugin action ${action} in the simulation (add it to the test's given.mocks.actions)`,
        )
      return structuredClone(mocks[action])
    },
    async context() {
      return { contact: options.context?.contact ?? null, conversation: options.context?.conversation ?? null }
    },
  }
}
