export { createUsersService } from './users-service.js'
export type { UsersService } from './users-service.js'
export { usersRoutes } from './users-routes.js'
export type { UserView, CreateUserInput } from './user-dto.js'
