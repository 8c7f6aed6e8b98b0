import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** SIPp, Debian package sip-tester. */
export const sippPath = ['/usr/bin/sipp', '/usr/local/bin/sipp'].find((p) => existsSync(p))

export interface SippStats {
  created: number
  successful: number
  failed: number
  retransmissions: number
}

export interface SippRun {
  /** 0 only when every call succeeded (SIPp's own verdict); null when it had to be killed */
  exitCode: number | null
  stats: SippStats | undefined
  /** the call-id prefix of this run: every call's Call-ID starts with it */
  callIdPrefix: string
  /** SIPp's message trace and error log, for failure messages */
  messages: string
  errors: string
  output: string
}

export interface SippOptions {
  /** the scenario XML */
  scenario: string
  /** host:port the calls go to */
  target: string
  /** the user part of the request URI ([service]) */
  service?: string
  localAddress?: string
  localPort: number
  mediaPort?: number
  /** echo the RTP it receives back to where it came from */
  rtpEcho?: boolean
  calls?: number
  /** SIPp's own global timeout; the process is killed 5 s after it */
  timeoutMs?: number
  /** [key] values in the scenario (-key name value) */
  keys?: Record<string, string>
}

/**
 * Runs one SIPp scenario to completion: writes the XML to a temporary directory, runs sipp
 * with -m (calls) and -timeout bounds, a unique Call-ID prefix, -trace_stat (read back as
 * SippStats), -trace_msg and -trace_err, and returns its exit code. Kills it if it overruns.
 */
export async function runSipp(options: SippOptions): Promise<SippRun> {
  if (!sippPath) throw new Error('sipp is not installed (apt-get install sip-tester)')
  const dir = mkdtempSync(join(tmpdir(), 'sb-sipp-'))
  const calls = options.calls ?? 1
  const timeoutMs = options.timeoutMs ?? 20_000
  const callIdPrefix = `sbtest-${randomBytes(6).toString('hex')}`
  const files = {
    scenario: join(dir, 'scenario.xml'),
    stats: join(dir, 'stats.csv'),
    messages: join(dir, 'messages.log'),
    errors: join(dir, 'errors.log'),
  }
  writeFileSync(files.scenario, options.scenario)
  const args = [
    options.target,
    '-sf',
    files.scenario,
    '-s',
    options.service ?? 'service',
    '-i',
    options.localAddress ?? '127.0.0.1',
    '-p',
    String(options.localPort),
    '-t',
    'u1',
    '-m',
    String(calls),
    '-l',
    String(calls),
    '-r',
    String(Math.max(1, calls)),
    '-cid_str',
    `${callIdPrefix}-%u-%p@%s`,
    '-timeout',
    `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    '-recv_timeout',
    String(Math.min(timeoutMs, 10_000)),
    '-nostdin',
    '-trace_stat',
    '-stf',
    files.stats,
    '-fd',
    '1',
    '-trace_msg',
    '-message_file',
    files.messages,
    '-trace_err',
    '-error_file',
    files.errors,
  ]
  if (options.mediaPort) args.push('-mi', options.localAddress ?? '127.0.0.1', '-mp', String(options.mediaPort))
  if (options.rtpEcho) args.push('-rtp_echo')
  for (const [name, value] of Object.entries(options.keys ?? {})) args.push('-key', name, value)

  const child = spawn(sippPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)))
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)))
  const exitCode = await new Promise<number | null>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000)
    child.once('exit', (code) => {
      clearTimeout(killer)
      resolve(code)
    })
  })
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '')
  const run: SippRun = {
    exitCode,
    stats: parseSippStats(read(files.stats)),
    callIdPrefix,
    messages: read(files.messages),
    errors: read(files.errors),
    output,
  }
  rmSync(dir, { recursive: true, force: true })
  return run
}

/** The last row of a -trace_stat CSV (`;`-separated, cumulative "(C)" columns). */
export function parseSippStats(csv: string): SippStats | undefined {
  const lines = csv.split('\n').filter((l) => l.trim())
  if (lines.length < 2) return undefined
  const header = lines[0]!.split(';')
  const last = lines[lines.length - 1]!.split(';')
  const column = (name: string) => Number(last[header.indexOf(name)] ?? NaN)
  return {
    created: column('TotalCallCreated'),
    successful: column('SuccessfulCall(C)'),
    failed: column('FailedCall(C)'),
    retransmissions: column('Retransmissions(C)'),
  }
}

/** A one-line summary of a run for assertion messages. */
export function describeSippRun(run: SippRun): string {
  return `sipp exit ${run.exitCode}, stats ${JSON.stringify(run.stats)}\n${run.errors.slice(-3000)}\n${run.messages.slice(-6000)}`
}
