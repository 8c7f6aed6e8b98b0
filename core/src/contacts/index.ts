export { createContactsService } from './contacts-service.js'
export type { ContactsService } from './contacts-service.js'
export { contactsRoutes } from './contacts-routes.js'
export type { ContactView, CreateContactInput } from './contact-dto.js'
