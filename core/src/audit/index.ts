export { createAuditLog, systemActor } from './audit-log.js'
export type { Actor, AuditEntry, AuditEventView, AuditLog } from './audit-log.js'
export { auditRoutes } from './audit-routes.js'
