import type { Command } from 'commander'
import { ErrorCode, parseKbEntriesFile, systemActor, userError } from '@switchboard/core'
import { table } from '../support/output.js'
import { readInputFile } from '../support/read-input-file.js'
import { withApp } from '../support/with-app.js'

export function registerKb(program: Command): void {
  const kb = program.command('kb').description('The knowledge base: FAQ entries and their search')

  kb.command('import')
    .description(
      'Create or replace entries from a JSON-lines file, one {"id", "question", "answer"} per line, optionally with "tags", "variants" (other phrasings) and "language". Entries are matched by id. Every line is checked first: one bad line and nothing is imported.',
    )
    .argument('<file>', 'the JSON-lines file')
    .action(async (file: string) => {
      const { content, name } = readInputFile(file)
      const entries = parseKbEntriesFile(content, name)
      const result = await withApp((app) => app.services.kb.importEntries(systemActor('cli'), entries))
      process.stdout.write(`Imported ${name}: ${result.created} entry(ies) created, ${result.updated} updated.\n`)
    })

  kb.command('search')
    .description('Search the knowledge base (a quick check)')
    .argument('<text>', "the customer's question")
    .option('--limit <n>', 'at most this many entries', '5')
    .option('--json', 'print JSON')
    .action(async (text: string, options: { limit: string; json?: boolean }) => {
      const limit = Number(options.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 20)
        throw userError(ErrorCode.VALIDATION, '--limit must be a whole number from 1 to 20')
      const hits = await withApp((app) => app.services.kb.search(text, { limit }))
      if (options.json) {
        process.stdout.write(JSON.stringify(hits, null, 2) + '\n')
        return
      }
      if (hits.length === 0) {
        process.stdout.write('No answer: no entry fits.\n')
        return
      }
      process.stdout.write(table(hits.map((h) => ({ id: h.id, score: h.score.toFixed(3), question: h.question }))))
    })
}
