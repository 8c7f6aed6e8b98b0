import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { startDaemon, type DaemonStatus } from './daemon.js'
import { isAlive } from './process-group.js'

const logger = pino({ level: 'silent' })
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the daemon not to start')
    },
    (error: unknown) => error as Error & { code?: string },
  )
const waitFor = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('startDaemon', () => {
  it('reports a daemon that stops while starting, quoting its log', async () => {
    const error = await failureOf(
      startDaemon({
        name: 'broken',
        command: '/bin/sh',
        args: ['-c', 'echo "ERROR: cannot bind socket" >&2; exit 3'],
        isReady: async () => false,
        logger,
      }),
    )
    expect(error).toMatchObject({ code: 'SB_ERR_CONFIG_INVALID' })
    expect(error.message).toContain('broken stopped while starting (exit code 3)')
    expect(error.message).toContain('ERROR: cannot bind socket')
  })

  it('gives up on a daemon that never becomes ready and stops it', async () => {
    const error = await failureOf(
      startDaemon({
        name: 'silent',
        command: '/bin/sh',
        args: ['-c', 'echo $$; exec sleep 30'],
        isReady: async () => false,
        logger,
        readyTimeoutMs: 500,
      }),
    )
    expect(error.message).toContain('silent did not become ready in time')
    const pid = Number(/^\d+$/m.exec(error.message)?.[0])
    expect(pid).toBeGreaterThan(1)
    expect(isAlive(pid)).toBe(false)
  })

  it('restarts a daemon that dies, then reports it failed when it keeps dying', async () => {
    const failed: DaemonStatus[] = []
    let starts = 0
    const daemon = await startDaemon({
      name: 'flaky',
      command: '/bin/sh',
      args: ['-c', 'sleep 0.3; exit 1'],
      isReady: async () => {
        starts += 1
        return true
      },
      logger,
      maxRestarts: 2,
      onFailed: (status) => failed.push(status),
    })
    await waitFor('the daemon to be given up', () => failed.length === 1)
    expect(failed[0]).toMatchObject({ name: 'flaky', state: 'failed', restarts: 2, lastExit: 'exit code 1' })
    expect(starts).toBe(3)
    expect(daemon.status().state).toBe('failed')
    await daemon.stop()
  })

  it('stops the whole process group, children included', async () => {
    const daemon = await startDaemon({
      name: 'parent',
      command: '/bin/sh',
      args: ['-c', 'sleep 30 & echo child $!; wait'],
      isReady: async () => true,
      logger,
    })
    await waitFor('the child pid', () => daemon.status().recentLog.some((l) => l.startsWith('child ')))
    const childPid = Number(
      daemon
        .status()
        .recentLog.find((l) => l.startsWith('child '))!
        .split(' ')[1],
    )
    expect(isAlive(childPid)).toBe(true)
    await daemon.stop()
    await waitFor('the child to end', () => !isAlive(childPid), 3000)
    expect(daemon.status().state).toBe('stopped')
  })
})
