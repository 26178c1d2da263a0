import { z } from 'zod';
import {
  CreateTeam,
  IdParams,
  Problem,
  Team,
  TeamPage,
  TeamQuery,
  UpdateTeam,
} from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from './teams.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** /api/v1/teams */
export function teamsRoutes(app: App, { ctx }: Deps): void {
  const tags = ['teams'];
  app.get(
    '/api/v1/teams',
    { schema: { tags, summary: 'List teams', querystring: TeamQuery, response: { 200: TeamPage } } },
    async (req) => listTeams(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/teams',
    {
      schema: {
        tags,
        summary: 'Create a team',
        body: CreateTeam,
        response: { 201: Team, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const team = await createTeam(ctx, actorOf(req), req.body);
      return reply.code(201).header('ETag', etagOf(team.version)).send(team);
    },
  );
  app.get(
    '/api/v1/teams/:id',
    { schema: { tags, summary: 'Get a team', params: IdParams, response: { 200: Team, 404: Problem } } },
    async (req, reply) => {
      const team = await getTeam(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(team.version)).send(team);
    },
  );
  app.patch(
    '/api/v1/teams/:id',
    {
      schema: {
        tags,
        summary: 'Update a team (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateTeam,
        response: { 200: Team, 404: Problem, 409: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const team = await updateTeam(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(team.version)).send(team);
    },
  );
  app.delete(
    '/api/v1/teams/:id',
    {
      schema: {
        tags,
        summary: 'Delete a team',
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 404: Problem },
      },
    },
    async (req, reply) => {
      await deleteTeam(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
