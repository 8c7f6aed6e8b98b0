/** The id `tick` reports when work running with no call in flight went over the budget. */
export const ORPHAN = -1

/**
 * Shares out an isolate's CPU time among the calls running in it. isolated-vm counts CPU per
 * isolate, not per call, so each tick charges the time used since the previous tick evenly to
 * the calls in flight; a call whose charge passes the budget is over its CPU limit. This catches
 * work the per-run `timeout` cannot see: code running after an `await`. CPU used while no call
 * runs (work a handler left behind when it returned) is charged to `ORPHAN` until the isolate
 * goes idle.
 *
 * @example
 * ```ts
 * const meter = createCpuMeter(1_000_000_000n) // 1 s per call
 * meter.start(7, isolate.cpuTime)
 * const over = meter.tick(isolate.cpuTime) // ids of calls over budget
 * ```
 */
export function createCpuMeter(budgetNs: bigint) {
  const charged = new Map<number, bigint>()
  let last: bigint | null = null
  let orphanNs = 0n
  let idle = true

  function tick(nowNs: bigint): number[] {
    const over: number[] = []
    const used = last !== null && nowNs > last ? nowNs - last : 0n
    last = nowNs
    idle = charged.size === 0 && used === 0n
    if (charged.size === 0) {
      orphanNs = used === 0n ? 0n : orphanNs + used
      if (orphanNs > budgetNs) over.push(ORPHAN)
      return over
    }
    const share = used / BigInt(charged.size)
    for (const [id, before] of charged) {
      charged.set(id, before + share)
      if (before + share > budgetNs) over.push(id)
    }
    return over
  }

  return {
    tick,
    /** a call starts: what ran before is charged to the calls already there */
    start(id: number, nowNs: bigint): void {
      tick(nowNs)
      orphanNs = 0n
      charged.set(id, 0n)
    },
    stop(id: number, nowNs: bigint): void {
      tick(nowNs)
      charged.delete(id)
    },
    /** no call runs and the isolate used no CPU since the previous tick: nothing to watch */
    get idle(): boolean {
      return idle
    },
    get size(): number {
      return charged.size
    },
  }
}

export type CpuMeter = ReturnType<typeof createCpuMeter>
