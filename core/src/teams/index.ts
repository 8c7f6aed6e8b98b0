export { createTeamsService, teamsRoutes } from './teams.js'
export type { TeamsService, TeamView } from './teams.js'
export { agentInScope, queueInScope, readTeamScope, type TeamScope } from './team-scope.js'
