import { z } from 'zod';
import { CreatedToken, CreateToken, IdParams, Problem, TokenList } from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import type { Deps } from '../deps.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

/** /api/v1/tokens: the caller's personal API tokens. */
export function tokensRoutes(app: App, { ctx }: Deps): void {
  const tags = ['tokens'];
  app.get(
    '/api/v1/tokens',
    { schema: { tags, summary: 'My API tokens', response: { 200: TokenList } } },
    async (req) => ({
      items: await listTokens(ctx, actorOf(req)),
    }),
  );
  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags,
        summary: 'Create a token (the secret is shown once)',
        body: CreateToken,
        response: { 201: CreatedToken },
      },
    },
    async (req, reply) => reply.code(201).send(await createToken(ctx, actorOf(req), req.body)),
  );
  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a token',
        params: IdParams,
        response: { 204: z.null().describe('Revoked'), 404: Problem },
      },
    },
    async (req, reply) => {
      await revokeToken(ctx, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
