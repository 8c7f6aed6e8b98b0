import type { z } from 'zod'
import type { QaHit, timingConfig } from './qa-dto.js'
import { hitOf, type QaRuleDef } from './qa-hits.js'
import type { Inspection, TranscriptLine } from './transcript.js'

type TimingConfig = z.output<typeof timingConfig>

const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000)

/**
 * A timing rule's hits, or null when it does not apply to this conversation: first response
 * needs a queueing; silence needs an agent who spoke.
 */
export function checkTiming(rule: QaRuleDef, inspection: Inspection): QaHit[] | null {
  const config = rule.config as TimingConfig
  if (config.measure === 'first-response') return firstResponse(rule, config, inspection)
  if (config.measure === 'call-silence') {
    if (!inspection.isCall) return null
    // the recorded transcript's segments when there are some, else the call's timed messages
    const spoken = inspection.lines.filter((l) => l.recordingId !== undefined)
    return callSilences(rule, config, spoken.length > 0 ? spoken : inspection.lines)
  }
  return inspection.isCall
    ? callSilences(rule, config, inspection.lines)
    : unansweredMessages(rule, config, inspection.lines)
}

/** From the moment the conversation was queued for an agent to the agent's first message. */
function firstResponse(rule: QaRuleDef, config: TimingConfig, inspection: Inspection): QaHit[] | null {
  const queuedAt = inspection.conversation.queuedAt
  if (!queuedAt) return null
  const first = inspection.lines.find((l) => l.speaker === 'agent' && l.at.getTime() >= queuedAt.getTime())
  if (!first) {
    const resolvedAt = inspection.conversation.resolvedAt
    return [
      hitOf(rule, {
        source: 'timing',
        explanation: {
          en: 'The agent never replied after the conversation was queued',
          'zh-CN': '转人工后坐席始终未回复',
        },
        detail: { limit: config.seconds, seconds: resolvedAt ? seconds(queuedAt, resolvedAt) : null },
      }),
    ]
  }
  const waited = seconds(queuedAt, first.at)
  if (waited <= config.seconds) return []
  return [
    hitOf(rule, {
      line: first,
      source: 'timing',
      explanation: {
        en: `First response after ${waited} s (limit ${config.seconds} s)`,
        'zh-CN': `首次响应用时 ${waited} 秒（上限 ${config.seconds} 秒）`,
      },
      detail: { limit: config.seconds, seconds: waited, queuedAt: queuedAt.toISOString() },
    }),
  ]
}

/**
 * Chats: once the agent has spoken, a customer message left unanswered by the agent for longer
 * than the limit (measured from the first of the customer's unanswered messages to the agent's
 * next message). A last message nobody answered before the resolution does not count: the
 * customer's "thank you" needs no reply.
 */
function unansweredMessages(rule: QaRuleDef, config: TimingConfig, lines: TranscriptLine[]): QaHit[] | null {
  const firstAgent = lines.findIndex((l) => l.speaker === 'agent')
  if (firstAgent < 0) return null
  const hits: QaHit[] = []
  let waiting: TranscriptLine | null = null
  for (const line of lines.slice(firstAgent + 1)) {
    if (line.speaker === 'customer') waiting ??= line
    if (line.speaker !== 'agent' || !waiting) continue
    const gap = seconds(waiting.at, line.at)
    if (gap > config.seconds)
      hits.push(
        hitOf(rule, {
          line: waiting,
          source: 'timing',
          explanation: {
            en: `The customer waited ${gap} s for the agent's reply (limit ${config.seconds} s)`,
            'zh-CN': `客户等待坐席回复 ${gap} 秒（上限 ${config.seconds} 秒）`,
          },
          detail: { limit: config.seconds, seconds: gap, answeredBy: line.id },
        }),
      )
    waiting = null
  }
  return hits
}

/**
 * Calls: silence on the line between one utterance's end (or start, when the transcript gives no
 * end) and the next one's start, whoever speaks. The hit is at the utterance after the silence.
 */
function callSilences(rule: QaRuleDef, config: TimingConfig, lines: TranscriptLine[]): QaHit[] | null {
  if (lines.length < 2) return lines.length === 0 ? null : []
  const sorted = [...lines].sort((a, b) => a.at.getTime() - b.at.getTime())
  const hits: QaHit[] = []
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!
    const line = sorted[i]!
    const gap = seconds(before.endAt ?? before.at, line.at)
    if (gap > config.seconds)
      hits.push(
        hitOf(rule, {
          line,
          source: 'timing',
          explanation: {
            en: `${gap} s of silence on the call (limit ${config.seconds} s)`,
            'zh-CN': `通话静默 ${gap} 秒（上限 ${config.seconds} 秒）`,
          },
          detail: {
            limit: config.seconds,
            seconds: gap,
            after: before.id,
            ...(before.recordingId !== undefined
              ? {
                  silenceFromMs: (before.offsetMs ?? 0) + ((before.endAt ?? before.at).getTime() - before.at.getTime()),
                }
              : {}),
          },
        }),
      )
  }
  return hits
}
