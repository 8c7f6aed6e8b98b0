// Routing: the automatic call distributor's decisions — which waiting conversation goes to which agent — as pure
// functions over plain data (no database, no I/O, the clock only as `now`). See docs/routing.md.
export type {
  Assignment,
  AssignmentReason,
  MediaKind,
  Presence,
  QueuedConversation,
  RoutingAgent,
  RoutingInput,
  RoutingPlan,
  RoutingQueue,
  SkillRequirement,
} from './routing-types.js'
export { planAssignments } from './plan-assignments.js'
export { applyPlan } from './apply-plan.js'
export { createRoutingIndex, type RoutingIndex } from './routing-index.js'
export { nextOverflowAt } from './next-overflow-at.js'
export { queuePositions, type QueuePosition } from './queue-positions.js'
export { estimateWait, type WaitEstimate, type WaitEstimateInput } from './estimate-wait.js'
export { averageHandleTimes, defaultHandleMs, type HandleTime } from './handle-times.js'
export { effectivePriority } from './effective-priority.js'
export { hasFreeCapacity, hasOverflowed, isEligible, isStickyWindowOpen, membershipOf } from './eligibility.js'
export { meetsRequirements, requiredSkillsFor, skillScore } from './skill-match.js'
export { createRoutingService, type RoutingService } from './routing-service.js'
export { routingRoutes } from './routing-routes.js'
export { mediaOf, storedSkillRequirements, VIP_PRIORITY_BOOST } from './routing-snapshot.js'
export { skillLevel, skillName } from './skill-input.js'
export { queueVisibility, type Viewer } from './queue-visibility.js'
export type { AgentSkills, AgentSkillsView } from './agent-skills.js'
