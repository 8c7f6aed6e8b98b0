import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './cli-process.js'

let redis: ChildProcess | undefined
let redisDir: string | undefined

/**
 * The Redis contract suite needs a real redis-server. When SWITCHBOARD_TEST_REDIS_URL is not
 * given and redis-server is installed, start a throw-away one on 127.0.0.1 for this run.
 */
export async function setup(): Promise<void> {
  if (process.env.SWITCHBOARD_TEST_REDIS_URL) return
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.warn(
      '\n[switchboard tests] redis-server is not installed: the Redis contract suite is skipped. Install it (apt-get install redis-server) or set SWITCHBOARD_TEST_REDIS_URL.\n',
    )
    return
  }
  const port = await freePort()
  redisDir = mkdtempSync(join(tmpdir(), 'sb-redis-'))
  redis = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', redisDir],
    { stdio: 'ignore' },
  )
  const url = `redis://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .trim() === 'PONG'
    )
      break
    await new Promise((r) => setTimeout(r, 50))
  }
  process.env.SWITCHBOARD_TEST_REDIS_STARTED_URL = url
}

export async function teardown(): Promise<void> {
  redis?.kill('SIGTERM')
  if (redisDir) rmSync(redisDir, { recursive: true, force: true })
}
