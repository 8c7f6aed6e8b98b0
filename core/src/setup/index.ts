export { runFirstRunSetup } from './first-run.js'
export type { FirstRunResult } from './first-run.js'
