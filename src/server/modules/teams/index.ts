export {
  createTeam,
  deleteTeam,
  existingTeamIds,
  getTeam,
  listTeams,
  setTeamsOfUser,
  teamIdsOf,
  teamMemberIds,
  teamMembers,
  teamNames,
  updateTeam,
} from './teams.service.js';
