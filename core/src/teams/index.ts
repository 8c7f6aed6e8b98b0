export { createTeamsService, teamsRoutes } from './teams.js'
export type { TeamsService, TeamView } from './teams.js'
