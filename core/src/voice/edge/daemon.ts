import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { ErrorCode, userError } from '../../errors/index.js'
import type { Logger } from '../../logger.js'
import { stopProcessGroup } from './process-group.js'

export interface DaemonSpec {
  name: string
  command: string
  args: string[]
  /** resolves true once the daemon serves (asked every 100 ms until readyTimeoutMs) */
  isReady: () => Promise<boolean>
  logger: Logger
  readyTimeoutMs?: number
  /** restarts allowed within restartWindowMs before the daemon is reported failed */
  maxRestarts?: number
  restartWindowMs?: number
  /** called once when the daemon died and could not be brought back */
  onFailed?: (status: DaemonStatus) => void
}

export type DaemonState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped'

export interface DaemonStatus {
  name: string
  state: DaemonState
  pid: number | undefined
  restarts: number
  /** how the last run ended, e.g. "exit code 255" or "signal SIGKILL" */
  lastExit: string | undefined
  /** the daemon's last log lines, for error messages and `switchboard doctor` */
  recentLog: string[]
}

export interface Daemon {
  status(): DaemonStatus
  stop(): Promise<void>
}

const LOG_LINES = 100
const SEVERE = /\b(ERROR|ERR|CRIT|CRITICAL|ALERT|EMERG)\b/

/**
 * Runs one daemon as a child process in its own process group: starts it, waits until it
 * serves, restarts it with a growing pause when it dies (up to maxRestarts within
 * restartWindowMs, then reports it failed), and stops the whole group on stop().
 * Rejects with SB_ERR_CONFIG_INVALID, quoting the daemon's log, when the first start fails.
 */
export async function startDaemon(spec: DaemonSpec): Promise<Daemon> {
  const log = spec.logger.child({ daemon: spec.name })
  const maxRestarts = spec.maxRestarts ?? 5
  const windowMs = spec.restartWindowMs ?? 10 * 60_000
  const status: DaemonStatus = {
    name: spec.name,
    state: 'starting',
    pid: undefined,
    restarts: 0,
    lastExit: undefined,
    recentLog: [],
  }
  let child: ChildProcess | undefined
  let stopping = false
  // process uptime, not business time: restarts are counted in real elapsed milliseconds
  const restartTimes: number[] = []
  const ended = new WeakSet<ChildProcess>()

  // the daemon runs in its own process group, so it would outlive a Node process that exits
  // without stop(): kill it then (synchronously, the only way an 'exit' listener can)
  const killOnExit = () => {
    if (child?.pid) killGroup(child.pid)
  }
  process.once('exit', killOnExit)

  const launch = (): ChildProcess => {
    const proc = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    status.pid = proc.pid
    for (const stream of [proc.stdout!, proc.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        status.recentLog.push(line)
        if (status.recentLog.length > LOG_LINES) status.recentLog.shift()
        // Kamailio reports each worker's exit as an ALERT while it stops: expected then
        if (SEVERE.test(line) && !stopping) log.warn(line)
        else log.debug(line)
      })
    }
    proc.once('exit', (code, signal) => {
      ended.add(proc)
      status.lastExit = signal ? `signal ${signal}` : `exit code ${code}`
      status.pid = undefined
      if (child === proc) child = undefined
      if (stopping || status.state !== 'running') return
      // workers of a leader that died (Kamailio's) still hold its ports: end the whole group first
      if (proc.pid) killGroup(proc.pid)
      void restart()
    })
    proc.once('error', (error) => {
      // e.g. ENOENT: the program could not be started at all (no 'exit' follows)
      ended.add(proc)
      status.lastExit = error.message
      status.recentLog.push(`${spec.name}: ${error.message}`)
    })
    return proc
  }

  const waitReady = async (proc: ChildProcess): Promise<void> => {
    const deadline = performance.now() + (spec.readyTimeoutMs ?? 15_000)
    for (;;) {
      if (ended.has(proc)) {
        await sleep(50) // let its last log lines arrive: they say why
        throw failure(`${spec.name} stopped while starting (${status.lastExit ?? 'no exit status'})`)
      }
      if (await spec.isReady().catch(() => false)) return
      if (performance.now() > deadline) throw failure(`${spec.name} did not become ready in time`)
      await sleep(100)
    }
  }

  const failure = (reason: string) =>
    userError(ErrorCode.CONFIG_INVALID, `${reason}. Its last log lines:\n${status.recentLog.slice(-15).join('\n')}`, {
      details: { daemon: spec.name, lastExit: status.lastExit, log: status.recentLog.slice(-15) },
    })

  const restart = async (): Promise<void> => {
    const now = performance.now()
    while (restartTimes.length && now - restartTimes[0]! > windowMs) restartTimes.shift()
    if (restartTimes.length >= maxRestarts) {
      status.state = 'failed'
      log.error({ lastExit: status.lastExit, log: status.recentLog.slice(-15) }, `${spec.name} keeps dying: given up`)
      spec.onFailed?.({ ...status })
      return
    }
    restartTimes.push(now)
    status.restarts += 1
    status.state = 'restarting'
    const pauseMs = Math.min(30_000, 500 * 2 ** (restartTimes.length - 1))
    log.error({ lastExit: status.lastExit, pauseMs }, `${spec.name} stopped unexpectedly: restarting`)
    await sleep(pauseMs)
    if (stopping) return
    const proc = (child = launch())
    try {
      await waitReady(proc)
      status.state = 'running'
      log.info({ pid: proc.pid }, `${spec.name} is running again`)
    } catch (error) {
      log.error({ err: error }, `${spec.name} did not come back`)
      if (proc.pid) await stopProcessGroup(proc.pid)
      if (!stopping) void restart()
    }
  }

  const first = (child = launch())
  try {
    await waitReady(first)
  } catch (error) {
    stopping = true
    status.state = 'failed'
    if (first.pid) await stopProcessGroup(first.pid)
    process.removeListener('exit', killOnExit)
    throw error
  }
  status.state = 'running'
  log.info({ pid: first.pid }, `${spec.name} is running`)

  return {
    status: () => ({ ...status, recentLog: [...status.recentLog] }),
    async stop() {
      stopping = true
      status.state = 'stopped'
      const pid = child?.pid
      if (pid) await stopProcessGroup(pid)
      process.removeListener('exit', killOnExit)
    },
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
