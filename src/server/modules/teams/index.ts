export {
  createTeam,
  deleteTeam,
  existingTeamIds,
  getTeam,
  listTeams,
  setTeamsOfUser,
  teamIdsOf,
  teamMembers,
  teamNames,
  updateTeam,
} from './teams.service.js';
