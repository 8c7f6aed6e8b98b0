// Workforce: agents' shifts (the rota), the presence log, and scheduled/actual agents per interval.
export { createWorkforceService, type WorkforceService } from './workforce-service.js'
export { workforceRoutes } from './workforce-routes.js'
export { readStaffing } from './read-staffing.js'
export { logPresenceChange } from './presence-log.js'
export { actualAgents, scheduledAgents, WORKING_PRESENCES, type StaffingInterval } from './staffing.js'
