export { loadDemoData } from './demo-data.js'
export type { DemoSummary } from './demo-data.js'
