import { CurrentSession, Login, Problem, Session } from '../../../contracts/index.js';
import { actorOf, type App, SESSION_COOKIE } from '../../platform/http.js';
import type { Deps } from '../deps.js';
import * as users from '../users/index.js';
import { login, logout } from './auth.service.js';

/** /api/v1/auth: sign-in, the current session, sign-out. */
export function authRoutes(app: App, { ctx, auth, secureCookie }: Deps): void {
  const tags = ['auth'];
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in',
        body: Login,
        response: { 200: Session, 401: Problem, 429: Problem },
      },
    },
    async (req, reply) => {
      const s = await login(ctx, auth, req.body, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
        previousSecret: req.cookies[SESSION_COOKIE],
      });
      const user = await users.getUser(
        ctx,
        { userId: s.userId, role: 'requester', label: req.body.email, via: 'session' },
        s.userId,
      );
      void reply.setCookie(SESSION_COOKIE, s.secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie(req.protocol),
        maxAge: Math.round(auth.sessionHours * 3600),
      });
      return { user, csrfToken: s.csrfToken };
    },
  );
  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        tags,
        summary: 'The signed-in user and CSRF token',
        response: { 200: Session, 401: Problem },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const user = await users.getUser(ctx, actor, actor.userId ?? '');
      return { user, csrfToken: req.csrfToken ?? '' };
    },
  );
  app.get(
    '/api/v1/auth/current',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The signed-in user and CSRF token, or null when nobody is signed in (never a 401)',
        response: { 200: CurrentSession },
      },
    },
    async (req) => {
      if (!req.actor?.userId || req.actor.via !== 'session') return { session: null };
      const user = await users.getUser(ctx, req.actor, req.actor.userId);
      return { session: { user, csrfToken: req.csrfToken ?? '' } };
    },
  );
  app.post('/api/v1/auth/logout', { schema: { tags, summary: 'Sign out' } }, async (req, reply) => {
    const secret = req.cookies[SESSION_COOKIE];
    if (secret) await logout(ctx, actorOf(req), secret);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}
