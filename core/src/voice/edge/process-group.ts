import { existsSync, readFileSync, rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** true while a process with this id exists */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Stops a daemon Switchboard started in its own process group (Kamailio forks its workers
 * into it): SIGTERM to the group, then SIGKILL after graceMs. Resolves when the leader is gone.
 */
export async function stopProcessGroup(pid: number, graceMs = 5000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig)
    } catch {
      try {
        process.kill(pid, sig)
      } catch {
        // already gone
      }
    }
  }
  signal('SIGTERM')
  const deadline = performance.now() + graceMs
  while (isAlive(pid) && performance.now() < deadline) await sleep(50)
  if (isAlive(pid)) {
    signal('SIGKILL')
    const hardDeadline = performance.now() + 2000
    while (isAlive(pid) && performance.now() < hardDeadline) await sleep(50)
  }
}

/**
 * A daemon left running by a Switchboard that was killed without stopping it still holds the
 * ports. Its pid file names it; it is stopped only when its command line shows it is ours
 * (it mentions `marker`, a path inside our data directory), never some other process that
 * got the same id.
 */
export async function stopLeftover(pidFile: string, marker: string): Promise<number | undefined> {
  if (!existsSync(pidFile)) return undefined
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  rmSync(pidFile, { force: true })
  if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid)) return undefined
  let commandLine = ''
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return undefined
  }
  if (!commandLine.includes(marker)) return undefined
  await stopProcessGroup(pid)
  return pid
}
