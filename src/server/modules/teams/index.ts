export {
  createTeam,
  deleteTeam,
  existingTeamIds,
  getTeam,
  listTeams,
  setTeamsOfUser,
  teamIdsOf,
  teamName,
  updateTeam,
} from './teams.service.js';
