import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import {
  ErrorCode,
  flowFileSchema,
  isSwitchboardError,
  NodeTypeRegistry,
  parseIntentExamplesFile,
  runFlowTests,
  systemActor,
  trainIntentModel,
  userError,
  validateFlow,
  type FlowDocument,
  type FlowFile,
  type FlowProblem,
  type FlowTestReport,
} from '@switchboard/core'
import { table } from '../support/output.js'
import { readInputFile } from '../support/read-input-file.js'
import { withApp } from '../support/with-app.js'

/** Exit code of a user mistake (a bad file, an invalid flow), as for every other command. */
const INVALID = 2

/** A file the user named is unusable: reported as `switchboard: …` with exit code 2. */
const badFile = (message: string) => userError(ErrorCode.VALIDATION, message)

function readJson(file: string): unknown {
  const { content } = readInputFile(file)
  try {
    return JSON.parse(content)
  } catch (error) {
    throw badFile(`${file} is not JSON: ${(error as Error).message}`)
  }
}

/**
 * A flow file as `flow export` writes it ({ name, kind, description, document }). `validate` and
 * `test` also take a bare flow document (an object with `nodes`), named after the file.
 */
function readFlowFile(
  file: string,
  options: { bareDocument: boolean },
): { name: string; document: unknown; flowFile?: FlowFile } {
  const json = readJson(file)
  const bare = typeof json === 'object' && json !== null && 'nodes' in json && !('document' in json)
  if (bare && options.bareDocument) return { name: file, document: json }
  const parsed = flowFileSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`)
    throw badFile(
      `${file} is not a flow file { name, kind, description, document }:\n${issues.join('\n')}` +
        (bare ? '\n  (it looks like a bare flow document: wrap it in a flow file to import it)' : ''),
    )
  }
  return { name: parsed.data.name, document: parsed.data.document, flowFile: parsed.data }
}

/** One line per problem, each naming the node (or edge) it is on. */
function problemLines(problems: FlowProblem[]): string {
  const where = (p: FlowProblem) =>
    p.nodeId !== undefined ? `node "${p.nodeId}"` : p.edge !== undefined ? `edge ${p.edge}` : 'flow'
  const width = Math.max(...problems.map((p) => where(p).length))
  return problems.map((p) => `  ${where(p).padEnd(width)}  ${p.code}: ${p.message}\n`).join('')
}

function checkLocally(flow: { document: unknown }): { document?: FlowDocument; problems: FlowProblem[] } {
  const result = validateFlow(flow.document, new NodeTypeRegistry())
  return { document: result.document, problems: result.problems }
}

/** The built-in intent classifier trained on an `nlu import` file, for the simulator. */
function classifierFrom(file: string) {
  const examples = new Map<string, string[]>()
  for (const line of parseIntentExamplesFile(readInputFile(file).content, file))
    examples.set(line.intent, [...(examples.get(line.intent) ?? []), line.text])
  const model = trainIntentModel([...examples].map(([name, texts]) => ({ name, examples: texts })))
  return { classifyIntent: async (text: string) => model.classify(text) }
}

function printReport(label: string, report: FlowTestReport): void {
  const out: string[] = [`${label}: ${report.results.length} test(s)`]
  for (const r of report.results) {
    out.push(`  ${r.passed ? '✔' : '✖'} ${r.name}`)
    if (r.passed) continue
    for (const f of r.failures) out.push(`      step ${f.step}: ${f.message}`)
    out.push(`      (the run ended ${r.status}${r.error ? `: ${r.error}` : ''})`)
  }
  out.push(`${report.passed} passed, ${report.failed} failed`)
  process.stdout.write(out.join('\n') + '\n')
}

export function registerFlow(program: Command): void {
  const flow = program
    .command('flow')
    .description('Flows: import and export flow files, validate them and run their recorded tests')

  flow
    .command('import')
    .description(
      'Create a flow from a flow file, or replace the draft of the flow with that name. An invalid file is refused whole: every problem is listed with its node, nothing is saved (exit code 2).',
    )
    .argument('<file>', 'a flow file { name, kind, description, document }, as `flow export` writes it')
    .option('--publish', 'publish the imported draft as a new version')
    .action(async (file: string, options: { publish?: boolean }) => {
      const { name, flowFile } = readFlowFile(file, { bareDocument: false })
      await withApp(async (app) => {
        const existed = (await app.services.flows.list()).some((f) => f.name === name)
        let imported: Awaited<ReturnType<typeof app.services.flows.importFile>>
        try {
          imported = await app.services.flows.importFile(systemActor('cli'), flowFile!, { publish: options.publish })
        } catch (error) {
          // the service refuses an invalid flow whole, with every problem in the details
          if (!isSwitchboardError(error) || !Array.isArray(error.details) || error.details.length === 0) throw error
          const problems = error.details as Array<FlowProblem & { path?: string }>
          const lines =
            error.code === ErrorCode.FLOW_INVALID
              ? problemLines(problems)
              : problems.map((p) => `  ${p.path}: ${p.message}\n`).join('')
          process.stderr.write(
            `switchboard: flow "${name}" has ${problems.length} problem(s); nothing was imported:\n${lines}`,
          )
          process.exitCode = INVALID
          return
        }
        process.stdout.write(
          `${existed ? 'Replaced the draft of' : 'Created'} flow "${imported.name}" (${imported.kind}): ` +
            `${imported.draft.nodes.length} nodes, ${imported.draft.tests.length} test(s), draft revision ${imported.draftRev}` +
            (options.publish ? `, published as version ${imported.publishedVersion}` : '') +
            '\n',
        )
      })
    })

  flow
    .command('export')
    .description('Print a flow (its draft) as a flow file, JSON')
    .argument('<name>', 'the flow name (or id)')
    .option('--out <file>', 'write it to this file instead')
    .action(async (name: string, options: { out?: string }) => {
      const file = await withApp((app) => app.services.flows.exportFile(name))
      const json = JSON.stringify(file, null, 2) + '\n'
      if (!options.out) {
        process.stdout.write(json)
        return
      }
      try {
        writeFileSync(options.out, json)
      } catch (error) {
        throw badFile(`Cannot write ${options.out}: ${(error as Error).message}`)
      }
      process.stdout.write(`Exported flow "${file.name}" to ${options.out}\n`)
    })

  flow
    .command('validate')
    .description(
      'Check a flow file without the server or the database: every problem with its node; exit code 0 when valid, 2 when not',
    )
    .argument('<file>', 'a flow file (or a bare flow document)')
    .option('--json', 'print { ok, problems } as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const input = readFlowFile(file, { bareDocument: true })
      const { document, problems } = checkLocally(input)
      if (problems.length) process.exitCode = INVALID
      if (options.json) {
        process.stdout.write(JSON.stringify({ ok: problems.length === 0, problems }, null, 2) + '\n')
        return
      }
      if (problems.length) {
        process.stdout.write(`✖ ${file}: ${problems.length} problem(s)\n${problemLines(problems)}`)
        return
      }
      process.stdout.write(
        `✔ ${file}: flow "${input.name}" is valid (${document!.nodes.length} nodes, ${document!.tests.length} test(s))\n`,
      )
    })

  flow
    .command('test')
    .description(
      "Run the flow file's recorded tests in the simulator, without the server or the database; exit code 1 when a test fails, 2 when the flow is invalid",
    )
    .argument('<file>', 'a flow file (or a bare flow document) with `tests`')
    .option(
      '--intents <file>',
      'classify intents with the built-in classifier trained on this `nlu import` file (JSON lines {"intent", "text"}); without it classify-intent finds no intent',
    )
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { intents?: string; json?: boolean }) => {
      const input = readFlowFile(file, { bareDocument: true })
      const { document, problems } = checkLocally(input)
      if (!document || problems.length) {
        process.stdout.write(`✖ ${file}: ${problems.length} problem(s); fix them first\n${problemLines(problems)}`)
        process.exitCode = INVALID
        return
      }
      const nlu = options.intents ? classifierFrom(options.intents) : undefined
      const report = await runFlowTests({ registry: new NodeTypeRegistry(), nlu }, document, input.name)
      if (report.failed) process.exitCode = 1
      if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
      else if (report.results.length === 0) process.stdout.write(`${file}: the flow records no tests\n`)
      else printReport(`Flow "${input.name}" (${file})`, report)
    })

  flow
    .command('list')
    .description('List flows with their kind and published version')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const flows = await withApp((app) => app.services.flows.list())
      if (options.json) {
        process.stdout.write(JSON.stringify(flows, null, 2) + '\n')
        return
      }
      process.stdout.write(
        table(
          flows.map((f) => ({
            name: f.name,
            kind: f.kind,
            published: f.publishedVersion === null ? '-' : `v${f.publishedVersion}`,
            draft: `rev ${f.draftRev}`,
            updated: f.updatedAt.toISOString().slice(0, 16).replace('T', ' '),
          })),
        ),
      )
    })
}
