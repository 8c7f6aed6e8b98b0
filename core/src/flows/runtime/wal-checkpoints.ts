import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export interface CheckpointHooks {
  /** a checkpoint on the calling thread: the fallback when the worker cannot run */
  checkpointHere(): void
  /** stops starting commits until the returned function is called */
  holdCommits(): () => void
}

/** The longest commits are held for the tail of a checkpoint; after it they go on regardless. */
const MAX_HOLD_MS = 50

/**
 * Checkpoints the SQLite WAL every `intervalMs` on a worker thread with a connection of its own.
 * On the event loop a checkpoint blocked every turn for 20–130 ms under load (it copies pages and
 * fsyncs); on the worker, commits go on meanwhile (a PASSIVE checkpoint never blocks them).
 *
 * The WAL only starts over from its beginning when a commit finds it entirely checkpointed, which
 * never happens while commits run during every checkpoint: it would grow without end. So after
 * the bulk, the worker asks for commits to be held for a moment (at most MAX_HOLD_MS; the event
 * loop goes on, turns wait for their commit a little longer) while it checkpoints the few frames
 * written meanwhile; the next commit then starts the WAL over.
 *
 * Should the worker not start or die, checkpoints fall back to the event loop on a timer, so
 * the WAL never grows unbounded.
 */
export function startWalCheckpoints(file: string, hooks: CheckpointHooks, intervalMs = 1000): { stop(): void } {
  let stopped = false
  let fallback: NodeJS.Timeout | undefined
  let release: (() => void) | undefined
  let holdTimer: NodeJS.Timeout | undefined
  const releaseCommits = () => {
    clearTimeout(holdTimer)
    release?.()
    release = undefined
  }
  const fallBack = () => {
    releaseCommits()
    if (stopped || fallback) return
    fallback = setInterval(() => {
      try {
        hooks.checkpointHere()
      } catch {
        // busy: the next tick tries again
      }
    }, intervalMs)
    fallback.unref()
  }
  let worker: Worker | undefined
  try {
    // an evaluated script, so it runs the same from the TypeScript sources (tests) and from dist
    worker = new Worker(WORKER, {
      eval: true,
      workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs },
    })
    // it must not keep the process alive, nor take it down
    worker.unref()
    worker.on('message', (message) => {
      if (message === 'hold' && !stopped) {
        release ??= hooks.holdCommits()
        holdTimer = setTimeout(releaseCommits, MAX_HOLD_MS)
        worker!.postMessage('held')
      } else if (message === 'done') releaseCommits()
    })
    worker.on('error', fallBack)
    worker.on('exit', fallBack)
  } catch {
    fallBack()
  }
  return {
    stop() {
      stopped = true
      releaseCommits()
      clearInterval(fallback)
      // the worker closes its connection and ends; a checkpoint cut short by the exit is harmless
      worker?.postMessage('stop')
    },
  }
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.file, { fileMustExist: true })
const checkpoint = () => {
  try {
    return db.pragma('wal_checkpoint(PASSIVE)')[0]
  } catch {
    return undefined // busy (another checkpoint runs): the next round tries again
  }
}
let timer
let lastLog = 0
const round = () => {
  // { log, checkpointed }: the frames in the WAL when the checkpoint began, and those it copied
  const done = checkpoint()
  const changed = done !== undefined && done.log > 0 && done.log !== lastLog
  lastLog = done?.log ?? 0
  // frames written during the checkpoint are left: checkpoint them with commits held
  if (changed) parentPort.postMessage('hold')
  else timer = setTimeout(round, workerData.intervalMs)
}
parentPort.on('message', (message) => {
  if (message === 'held') {
    checkpoint()
    parentPort.postMessage('done')
    timer = setTimeout(round, workerData.intervalMs)
  } else if (message === 'stop') {
    clearTimeout(timer)
    db.close()
    parentPort.close()
  }
})
timer = setTimeout(round, workerData.intervalMs)
`
