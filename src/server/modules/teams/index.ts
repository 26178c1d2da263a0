export {
  createTeam,
  deleteTeam,
  existingTeamIds,
  getTeam,
  listTeams,
  setTeamsOfUser,
  teamIdsOf,
  updateTeam,
} from './teams.service.js';
