export { createInfra } from './create-infra.js'
export type { InfraOptions } from './create-infra.js'
export { createManualClock, systemClock } from './clock.js'
export type { Clock, ManualClock } from './clock.js'
export { keepLockAlive } from './keep-lock-alive.js'
export type {
  Cache,
  EventBus,
  EventHandler,
  Infra,
  JobHandler,
  JobRecord,
  JobStatus,
  Lock,
  LockManager,
  ScheduleInput,
  Scheduler,
} from './types.js'
