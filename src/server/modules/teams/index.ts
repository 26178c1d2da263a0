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
  teamName,
  updateTeam,
} from './teams.service.js';
