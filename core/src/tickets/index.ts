export { createTicketsService } from './tickets-service.js'
export type {
  TicketChange,
  TicketChangeKind,
  TicketChangeListener,
  TicketRow,
  TicketsDeps,
  TicketsService,
} from './tickets-service.js'
export type { TicketActor, TicketEventInput } from './ticket-kernel.js'
export { ticketsRoutes } from './tickets-routes.js'
export { ticketScope, ticketViewerOf, ticketVisibleTo } from './ticket-access.js'
export type { TicketViewer } from './ticket-access.js'
export { STATUS_TEXT } from './customer-status.js'
export {
  ESCALATION_TRIGGERS,
  TICKET_PRIORITIES,
  TICKET_SOURCES,
  TICKET_STATUSES,
  TICKET_TIERS,
  ticketDetailDto,
  ticketListItemDto,
} from './tickets-dto.js'
export type {
  AddNoteInput,
  CreateTicketInput,
  EscalateTicketInput,
  EscalationTrigger,
  ListTicketsQuery,
  PublicTicketStatus,
  SplitTicketInput,
  TicketDetail,
  TicketHistoryItem,
  TicketList,
  TicketListItem,
  TicketNoteView,
  TicketPriority,
  TicketSettings,
  TicketStatus,
  TicketTier,
  UpdateTicketInput,
} from './tickets-dto.js'
