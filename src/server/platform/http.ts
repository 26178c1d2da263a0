import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Problem } from '../../contracts/index.js';
import { isDatabaseUnavailable } from './db-errors.js';
import { AppError, type FieldError, Unauthenticated } from './errors.js';
import { RateLimiter, type RateLimits } from './rate-limit.js';
import type { Actor } from './permissions.js';
import { addSecurityHeaders } from './security-headers.js';
import { parseQuery, refuseMalformedText } from './wellformed.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes are private unless they declare `public: true`. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling (null when anonymous on a public route). Set from the session or token only. */
    actor: Actor | null;
    /** The session's CSRF token (null for token and anonymous callers). */
    csrfToken: string | null;
  }
}

/** The Fastify instance type every route module receives. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Name of the session cookie. */
export const SESSION_COOKIE = 'steward_session';

/** Turns the identity of a request into an actor, or undefined when the credentials are not valid. */
export type Authenticator = (
  req: FastifyRequest,
) => Promise<{ actor: Actor; csrfToken: string | null } | undefined>;

/** Options of {@link createApp}. */
export interface HttpOptions {
  logLevel: string;
  bodyLimit: number;
  trustProxy: boolean;
  authenticate: Authenticator;
  /** Request rate limits of /api/ routes, per user and per address (none when absent). */
  rateLimits?: RateLimits;
  /** Extra logger destination (tests pass a silent one). */
  logger?: boolean;
  /** Where log lines go instead of standard output (tests read them for leaked secrets). */
  logStream?: { write(line: string): void };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Seconds a client is told to wait (Retry-After) while the database cannot be reached. */
const DATABASE_RETRY_AFTER_S = 5;

function problem(
  reply: FastifyReply,
  status: number,
  code: string,
  title: string,
  detail?: string,
  errors?: FieldError[],
) {
  const body: Problem = { type: `https://steward.dev/problems/${code}`, title, status, code };
  if (detail) body.detail = detail;
  if (errors && errors.length > 0) body.errors = errors;
  return reply.code(status).type('application/problem+json').send(body);
}

/** The one error handler: AppError, validation and body-parser errors as problem documents; the rest a 500. */
function handleError(bodyLimit: number) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      const retry = (err as AppError & { retryAfter?: number }).retryAfter;
      if (retry) void reply.header('Retry-After', String(retry));
      return problem(reply, err.status, err.code, err.title, err.detail, err.errors);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation as { instancePath: string; message?: string; params?: unknown }[];
      const errors = issues.map((v) => {
        const path = [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join(
          '.',
        );
        const params = v.params as { issue?: { keys?: string[] } } | undefined;
        const keys = params?.issue?.keys;
        if (keys && keys.length > 0) return { path, message: `unknown field(s): ${keys.join(', ')}` };
        return { path, message: v.message ?? 'invalid' };
      });
      return problem(reply, 400, 'invalid', 'Invalid request', 'the request has invalid fields', errors);
    }
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return problem(reply, 400, 'malformed_json', 'Malformed JSON', 'the body is not valid JSON');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return problem(reply, 400, 'empty_body', 'Empty body', 'a JSON body is required');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return problem(reply, 413, 'body_too_large', 'Body too large', `the body exceeds ${bodyLimit} bytes`);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return problem(
          reply,
          415,
          'unsupported_media_type',
          'Unsupported media type',
          'send application/json',
        );
      default:
        break;
    }
    if (isDatabaseUnavailable(err)) {
      // An outage, not a fault of this request: a 503 the client may retry, and one line in the log (no stack).
      req.log.warn({ reason: err.message }, 'database unavailable');
      void reply.header('Retry-After', String(DATABASE_RETRY_AFTER_S));
      return problem(
        reply,
        503,
        'database_unavailable',
        'Service unavailable',
        'the database cannot be reached just now; try again shortly',
      );
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return problem(reply, status, (err.code ?? 'bad_request').toLowerCase(), 'Bad request', err.message);
    }
    req.log.error({ err }, 'request failed');
    return problem(
      reply,
      500,
      'internal',
      'Internal error',
      'something went wrong on the server; it was logged',
    );
  };
}

/**
 * Why an anonymous request is refused, in words that say what to do: a bearer token that was refused, a
 * session that has ended, or no credentials at all.
 */
function whyUnauthenticated(req: FastifyRequest): string {
  if (req.headers.authorization?.startsWith('Bearer ')) {
    return 'the API token was refused: it is unknown, revoked or expired (create a new one)';
  }
  if (req.cookies[SESSION_COOKIE]) return 'your session has ended: sign in again';
  return 'sign in first';
}

/** Requires a signed-in actor in a route handler (the hook already did for private routes). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw Unauthenticated();
  return req.actor;
}

/**
 * Builds the HTTP server: zod validation and serialisation, the OpenAPI document, problem+json errors,
 * and authentication that makes every route private unless it declares `config: { public: true }`.
 * Cookie-authenticated writes must carry the session's CSRF token in `X-CSRF-Token`.
 */
export async function createApp(opts: HttpOptions): Promise<App> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: opts.logLevel,
            ...(opts.logStream ? { stream: opts.logStream } : {}),
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
          },
    bodyLimit: opts.bodyLimit,
    trustProxy: opts.trustProxy,
    routerOptions: { maxParamLength: 200, querystringParser: parseQuery },
    // A URL the router cannot decode (`%ED%A0%80` in a path segment) is a problem document like any other 400.
    frameworkErrors: (err, _req, reply) => {
      const code = (err.code || 'bad_request').toLowerCase();
      void problem(reply, err.statusCode ?? 400, code, 'Bad request', err.message);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The API speaks JSON only: anything else is a clear 415, not a string body that fails validation later.
  app.removeContentTypeParser('text/plain');
  refuseMalformedText(app);
  // Before any plugin registers: a scope created earlier keeps Fastify's default handler (plain JSON errors).
  app.setErrorHandler(handleError(opts.bodyLimit));
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  await app.register(cookie);
  addSecurityHeaders(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Steward API',
        version: '1',
        description: 'IT service management. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/api/docs' });
    docs.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
  });

  const limiter = opts.rateLimits && new RateLimiter(opts.rateLimits);
  app.addHook('onRequest', async (req) => {
    const isPublic = req.is404 ? !req.url.startsWith('/api/') : req.routeOptions.config.public === true;
    const auth = await opts.authenticate(req);
    if (auth) {
      req.actor = auth.actor;
      req.csrfToken = auth.csrfToken;
    }
    if (limiter && req.url.startsWith('/api/')) limiter.take(req.actor?.userId ?? null, req.ip);
    if (isPublic) return;
    if (!req.actor) throw Unauthenticated(whyUnauthenticated(req));
    if (req.actor.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const given = req.headers['x-csrf-token'];
      const ok = typeof given === 'string' && req.csrfToken !== null && given === req.csrfToken;
      if (!ok) throw new AppError(403, 'csrf', 'Forbidden', 'missing or wrong X-CSRF-Token header');
    }
  });

  app.setNotFoundHandler(async (req, reply) => {
    // Unknown API paths answer 401 to anonymous callers, so the route table is not probed without signing in.
    if (req.url.startsWith('/api/') && !req.actor) {
      const auth = await opts.authenticate(req);
      if (!auth) return problem(reply, 401, 'unauthenticated', 'Unauthenticated', whyUnauthenticated(req));
    }
    return problem(reply, 404, 'not_found', 'Not found', `no route ${req.method} ${req.url.split('?')[0]}`);
  });
  return app;
}
