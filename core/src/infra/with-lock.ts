import { ErrorCode, userError } from '../errors/index.js'
import type { Lock } from './types.js'

export async function runWithLock<T>(name: string, lock: Lock | null, fn: () => Promise<T>): Promise<T> {
  if (!lock)
    throw userError(ErrorCode.CONFLICT, `"${name}" is busy (locked by another operation); try again`, { status: 409 })
  try {
    return await fn()
  } finally {
    await lock.release()
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
