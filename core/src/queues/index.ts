// Queues: what admins configure (settings, business hours, team, members) and what everyone reads
// (the waiting line, open or closed now). The routing decisions that use them are in routing/.
// See docs/routing.md#queues.
export { createQueuesService, type QueuesService } from './queues-service.js'
export { queuesRoutes } from './queues-routes.js'
export { countWaiting, type WaitingCount } from './waiting-counts.js'
export { queueDto, type QueueView } from './queue-dto.js'
