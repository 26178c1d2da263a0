import { z } from 'zod';
import {
  CreateUser,
  IdParams,
  PeopleQuery,
  Person,
  Problem,
  UpdateUser,
  User,
  UserPage,
  UserQuery,
} from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import { createUser, findPeople, getUser, listUsers, updateUser } from './users.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** /api/v1/users */
export function usersRoutes(app: App, { ctx, publicUrl }: Deps): void {
  const tags = ['users'];
  app.get(
    '/api/v1/users',
    { schema: { tags, summary: 'List users', querystring: UserQuery, response: { 200: UserPage } } },
    async (req) => listUsers(ctx, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/people',
    {
      schema: {
        tags,
        summary: 'Find a colleague by name or e-mail (anyone signed in; active people, name and e-mail only)',
        querystring: PeopleQuery,
        response: { 200: z.object({ items: z.array(Person) }), 400: Problem },
      },
    },
    async (req) => findPeople(ctx, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Create a user (without a password: e-mailed an invitation to set one)',
        body: CreateUser,
        response: { 201: User, 400: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const user = await createUser(ctx, actorOf(req), req.body, { invite: { publicUrl } });
      return reply
        .code(201)
        .header('ETag', etagOf(user.version))
        .header('Location', `/api/v1/users/${user.id}`)
        .send(user);
    },
  );
  app.get(
    '/api/v1/users/:id',
    { schema: { tags, summary: 'Get a user', params: IdParams, response: { 200: User, 404: Problem } } },
    async (req, reply) => {
      const user = await getUser(ctx, actorOf(req), req.params.id);
      return reply.header('ETag', etagOf(user.version)).send(user);
    },
  );
  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        summary: 'Update a user (If-Match required)',
        params: IdParams,
        headers: IfMatch,
        body: UpdateUser,
        response: { 200: User, 404: Problem, 409: Problem, 412: Problem, 428: Problem },
      },
    },
    async (req, reply) => {
      const version = versionFromIfMatch(req.headers['if-match']);
      if (version === undefined) throw PreconditionRequired();
      const user = await updateUser(ctx, actorOf(req), req.params.id, version, req.body);
      return reply.header('ETag', etagOf(user.version)).send(user);
    },
  );
}
