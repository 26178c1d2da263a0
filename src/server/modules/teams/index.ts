export {
  createTeam,
  deleteTeam,
  existingTeamIds,
  getTeam,
  listTeams,
  setTeamsOfUser,
  teamIdsOf,
  teamMemberIds,
  teamNames,
  updateTeam,
} from './teams.service.js';
