import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { trainIntentModel, type TrainingIntent } from './intent-model.js'
import { parseIntentExamplesFile } from './nlu-import-file.js'

/**
 * Accuracy of the built-in classifier on the e-commerce example set (examples/nlu): trained on
 * intents.jsonl (10 intents × 6 phrases), measured on messages it never saw. A message labelled
 * null is out of scope and counts as right only when the classifier gives no intent. The figures
 * and how each set was used are in docs/nlu-and-knowledge-base.md.
 */
const read = (name: string) => readFileSync(new URL(`../../../examples/nlu/${name}`, import.meta.url), 'utf8')
const labelled = (name: string) =>
  read(name)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; intent: string | null })

function trainingIntents(): TrainingIntent[] {
  const byName = new Map<string, string[]>()
  for (const { intent, text } of parseIntentExamplesFile(read('intents.jsonl')))
    byName.set(intent, [...(byName.get(intent) ?? []), text])
  return [...byName].map(([name, examples]) => ({ name, examples }))
}

function measure(set: string, options: { lexicon?: boolean } = {}) {
  const model = trainIntentModel(trainingIntents(), options)
  const messages = labelled(set)
  const misses = messages.map((m) => ({ ...m, got: model.classify(m.text).intent })).filter((m) => m.got !== m.intent)
  const outOfScope = messages.filter((m) => m.intent === null)
  const rejected = outOfScope.filter((m) => !misses.some((x) => x.text === m.text)).length
  const accuracy = 1 - misses.length / messages.length
  process.stdout.write(
    `intent accuracy on ${set}${options.lexicon === false ? ' (without the lexicon)' : ''}: ${accuracy.toFixed(3)} ` +
      `(${messages.length - misses.length}/${messages.length}; out of scope rejected ${rejected}/${outOfScope.length})\n`,
  )
  return { accuracy, misses }
}

describe('intent classifier accuracy (examples/nlu)', () => {
  it('trains on 10 intents with 6 examples each', () => {
    const intents = trainingIntents()
    expect(intents).toHaveLength(10)
    expect(intents.every((i) => i.examples.length === 6)).toBe(true)
  })

  it('reaches the target of 85 % on the held-out set', () => {
    const { accuracy, misses } = measure('heldout.jsonl')
    for (const m of misses)
      process.stdout.write(`  ✗ ${m.text} → ${m.got ?? 'null'} (expected ${m.intent ?? 'null'})\n`)
    expect(labelled('heldout.jsonl').length).toBeGreaterThanOrEqual(120)
    expect(accuracy).toBeGreaterThanOrEqual(0.85)
  })

  it('stays above 80 % on the fresh set written after tuning, and above 90 % on the tuning set', () => {
    expect(measure('fresh.jsonl').accuracy).toBeGreaterThanOrEqual(0.8)
    expect(measure('dev.jsonl').accuracy).toBeGreaterThanOrEqual(0.9)
  })

  it('owes part of it to the service lexicon (reported, not asserted)', () => {
    for (const set of ['heldout.jsonl', 'fresh.jsonl']) measure(set, { lexicon: false })
  })
})
