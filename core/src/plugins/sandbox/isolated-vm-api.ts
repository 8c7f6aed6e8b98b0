/**
 * The part of isolated-vm's API the sandbox uses, written out so that the code type-checks
 * whichever build is installed (or none): only what 5.0.4 and 6.2.0 both have.
 */

export interface IvmTransferOptions {
  copy?: boolean
  reference?: boolean
  promise?: boolean
}

export interface IvmReference {
  apply(
    receiver: unknown,
    args: unknown[],
    options?: { timeout?: number; arguments?: IvmTransferOptions; result?: IvmTransferOptions },
  ): Promise<unknown>
  get(property: string, options?: IvmTransferOptions): Promise<unknown>
  release(): void
}

export interface IvmContext {
  evalClosure(
    code: string,
    args?: unknown[],
    options?: { timeout?: number; filename?: string; result?: IvmTransferOptions },
  ): Promise<unknown>
  release(): void
}

export interface IvmScript {
  run(context: IvmContext, options?: { timeout?: number }): Promise<unknown>
  release(): void
}

export interface IvmHeapStatistics {
  used_heap_size: number
  externally_allocated_size: number
}

export interface IvmIsolate {
  /** nanoseconds of CPU time spent in the isolate; readable while it runs */
  readonly cpuTime: bigint
  readonly isDisposed: boolean
  createContext(): Promise<IvmContext>
  compileScript(code: string, options?: { filename?: string }): Promise<IvmScript>
  getHeapStatistics(): Promise<IvmHeapStatistics>
  dispose(): void
}

/** The module itself (`require('isolated-vm')`). */
export interface IsolatedVm {
  Isolate: new (options: { memoryLimit: number; onCatastrophicError?: (message: string) => void }) => IvmIsolate
  Reference: new (value: unknown) => IvmReference
  Callback: new (fn: (...args: never[]) => unknown, options: { ignored: true }) => object
}
