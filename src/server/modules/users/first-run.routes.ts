import { z } from 'zod';
import {
  ForgotPassword,
  ForgotPasswordAccepted,
  Problem,
  SetPassword,
  SetupAdmin,
  SetupState,
  User,
} from '../../../contracts/index.js';
import type { App } from '../../platform/http.js';
import type { Deps } from '../deps.js';
import { redeemLink, requestPasswordReset } from './links.service.js';
import { createFirstAdmin, setupNeeded } from './setup.service.js';

const ACCEPTED =
  'If this address belongs to an account, a link to choose a new password is on its way. It works for 60 minutes.';

/**
 * Public routes of the first run and of password links: whether set-up is needed, creating the first admin with
 * the set-up token, "forgot password", and setting a password from an e-mailed link.
 */
export function firstRunRoutes(app: App, deps: Deps, hooks: { adminCreated: () => Promise<void> }): void {
  const { ctx } = deps;
  const tags = ['auth'];
  app.get(
    '/api/v1/setup',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Whether the first admin still has to be created',
        response: { 200: SetupState },
      },
    },
    async () => ({ needed: await setupNeeded(ctx) }),
  );
  app.post(
    '/api/v1/setup/admin',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Create the first admin with the set-up token the server printed at start',
        body: SetupAdmin,
        response: { 201: User, 400: Problem, 401: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      const user = await createFirstAdmin(ctx, req.body, req.ip);
      await hooks.adminCreated();
      return reply.code(201).send(user);
    },
  );
  app.post(
    '/api/v1/auth/forgot-password',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'E-mail a link to choose a new password (the same answer for every address)',
        body: ForgotPassword,
        response: { 202: ForgotPasswordAccepted, 429: Problem },
      },
    },
    async (req, reply) => {
      await requestPasswordReset(ctx, { ...deps.auth, publicUrl: deps.publicUrl }, req.body, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
      });
      return reply.code(202).send({ message: ACCEPTED });
    },
  );
  app.post(
    '/api/v1/auth/set-password',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Set a password with the one-time link of an invitation or a reset',
        body: SetPassword,
        response: { 204: z.null().describe('Password set'), 400: Problem },
      },
    },
    async (req, reply) => {
      await redeemLink(ctx, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      return reply.code(204).send(null);
    },
  );
}
