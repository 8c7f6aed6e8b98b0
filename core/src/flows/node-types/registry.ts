import { extractEntityNode, classifyIntentNode, kbAnswerNode } from './builtins/ai-nodes.js'
import { endNode, noteNode, startNode, subflowNode } from './builtins/flow-nodes.js'
import {
  gatherNode,
  hangupNode,
  httpRequestNode,
  playNode,
  pluginActionNode,
  recordNode,
  transferNode,
} from './builtins/integration-voice-nodes.js'
import {
  businessHoursNode,
  conditionNode,
  setVariablesNode,
  splitNode,
  switchNode,
  waitNode,
} from './builtins/logic-nodes.js'
import { updateQueueNode } from './builtins/live-ops-nodes.js'
import { askNode, menuNode, sendMessageNode } from './builtins/messaging-nodes.js'
import {
  createTicketNode,
  handoffNode,
  scheduleCallbackNode,
  sendSurveyNode,
  setAttributesNode,
  updateTicketNode,
} from './builtins/routing-ticket-nodes.js'
import type { NodeTypeDefinition } from './node-type.js'

export const builtinNodeTypes: NodeTypeDefinition[] = [
  startNode,
  endNode,
  subflowNode,
  sendMessageNode,
  askNode,
  menuNode,
  conditionNode,
  switchNode,
  setVariablesNode,
  businessHoursNode,
  splitNode,
  waitNode,
  classifyIntentNode,
  kbAnswerNode,
  extractEntityNode,
  handoffNode,
  setAttributesNode,
  updateQueueNode,
  createTicketNode,
  updateTicketNode,
  scheduleCallbackNode,
  sendSurveyNode,
  httpRequestNode,
  pluginActionNode,
  playNode,
  gatherNode,
  recordNode,
  transferNode,
  hangupNode,
  noteNode,
]

/** The node types the validator and the engine know: built-ins, plus those plugins contribute. */
export class NodeTypeRegistry {
  private readonly types = new Map<string, NodeTypeDefinition>()

  constructor(definitions: NodeTypeDefinition[] = builtinNodeTypes) {
    for (const d of definitions) this.register(d)
  }

  register(definition: NodeTypeDefinition): void {
    if (this.types.has(definition.type)) throw new Error(`node type "${definition.type}" is registered twice`)
    this.types.set(definition.type, definition)
  }

  /** Plugins' node types come and go as plugins are enabled and disabled. */
  unregister(type: string): void {
    if (builtinNodeTypes.some((d) => d.type === type)) throw new Error(`node type "${type}" is built in`)
    this.types.delete(type)
  }

  get(type: string): NodeTypeDefinition | undefined {
    return this.types.get(type)
  }

  list(): NodeTypeDefinition[] {
    return [...this.types.values()]
  }
}
