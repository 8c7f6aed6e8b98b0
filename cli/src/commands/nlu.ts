import type { Command } from 'commander'
import { ErrorCode, parseIntentExamplesFile, systemActor, userError } from '@switchboard/core'
import { table } from '../support/output.js'
import { readInputFile } from '../support/read-input-file.js'
import { withApp } from '../support/with-app.js'

export function registerNlu(program: Command): void {
  const nlu = program.command('nlu').description('The built-in intent classifier: intents and their example phrases')

  nlu
    .command('import')
    .description(
      'Add example phrases from a JSON-lines file, one {"intent": "…", "text": "…"} per line; creates the intents it names. Every line is checked first: one bad line and nothing is imported.',
    )
    .argument('<file>', 'the JSON-lines file')
    .action(async (file: string) => {
      const { content, name } = readInputFile(file)
      const lines = parseIntentExamplesFile(content, name)
      const result = await withApp((app) => app.services.nlu.importExamples(systemActor('cli'), lines))
      process.stdout.write(
        `Imported ${name}: ${result.intentsCreated} intent(s) created, ${result.examplesAdded} example(s) added, ${result.examplesUnchanged} already known.\n`,
      )
    })

  nlu
    .command('classify')
    .description('Classify a message with the current intents (a quick check)')
    .argument('<text>', "the customer's message")
    .option('--threshold <number>', 'below this confidence the intent is none (default 0.2)')
    .option('--json', 'print JSON')
    .action(async (text: string, options: { threshold?: string; json?: boolean }) => {
      const threshold = options.threshold === undefined ? undefined : Number(options.threshold)
      if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
        throw userError(ErrorCode.VALIDATION, '--threshold must be a number from 0 to 1')
      const result = await withApp((app) => app.services.nlu.classify(text, { threshold }))
      if (options.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n')
        return
      }
      process.stdout.write(
        `Intent: ${result.intent ?? '(none: below the threshold)'}  confidence ${result.confidence.toFixed(3)}\n\n`,
      )
      process.stdout.write(table(result.ranking.map((r) => ({ intent: r.intent, score: r.score.toFixed(3) }))))
    })
}
