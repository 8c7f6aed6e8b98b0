import { defineHandlers } from '@switchboard/plugin-sdk/runtime'
import type definition from '../plugin.definition.js'
import { answer } from './answer.js'
import { classifyIntent } from './classify-intent.js'
import { complete } from './complete.js'
import { draftReply } from './draft-reply.js'
import { healthCheck } from './health-check.js'
import { replyNode } from './reply-node.js'
import { sentiment } from './sentiment.js'
import { summarize } from './summarize.js'

/** The llm capability over an OpenAI-compatible Chat Completions API, and the `reply` flow node. */
export default defineHandlers<typeof definition>({
  actions: { complete, classifyIntent, answer, draftReply, summarize, sentiment },
  nodes: { reply: replyNode },
  healthCheck,
})
