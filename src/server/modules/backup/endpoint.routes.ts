/**
 * Steward as the agents' backup endpoint: restic's REST protocol (what rest-server speaks) under
 * `/api/v1/backup/devices/:ciId/`, so the stock `restic` client backs up and restores through it with
 * `rest:https://<agent id>:<agent token>@steward.example/api/v1/backup/devices/<device id>/`.
 * The agent's token (basic-auth password, or a bearer token) decides which device it is; each device
 * reaches only its own repository, append-only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../platform/http.js';
import { AppError, Unauthenticated } from '../../platform/errors.js';
import {
  type BackendCache,
  createRepository,
  deleteFile,
  deviceAccess,
  handleOf,
  listFiles,
  listType,
  loadFile,
  MAX_UPLOAD,
  saveFile,
  statFile,
} from './endpoint.service.js';
import type { TargetDeps } from './targets.service.js';

const V2 = 'application/vnd.x.restic.rest.v2';
const BASE = '/api/v1/backup/devices/:ciId';
const Device = z.strictObject({ ciId: z.uuid({ message: 'must be a device id' }) });
/** restic's folders in the REST protocol. */
const Type = z.enum(['data', 'keys', 'locks', 'snapshots', 'index'], {
  message: 'must be one of data, keys, locks, snapshots, index',
});
const File = Device.extend({
  type: Type,
  name: z.string().regex(/^[0-9a-f]{64}$/, 'must be a file name of a restic repository (64 hex digits)'),
});
const Folder = Device.extend({ type: Type });

/** The agent token of a request: the basic-auth password (restic's URL form) or a bearer token. */
function tokenOf(req: FastifyRequest): string {
  const h = req.headers.authorization ?? '';
  if (h.startsWith('Bearer ')) return h.slice(7).trim();
  if (h.startsWith('Basic ')) {
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) return decoded.slice(colon + 1);
  }
  return '';
}

/** `bytes=a-b`, `bytes=a-` → offset and length; undefined without a Range header; 416 for others. */
function rangeOf(req: FastifyRequest): { offset: number; length?: number } | undefined {
  const r = req.headers.range;
  if (r === undefined) return undefined;
  const m = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(r.trim());
  if (!m)
    throw new AppError(
      416,
      'bad_range',
      'Range not satisfiable',
      'only one byte range (bytes=a-b) is served',
    );
  const offset = Number(m[1]);
  if (m[2] === '') return { offset };
  const end = Number(m[2]);
  if (end < offset)
    throw new AppError(416, 'bad_range', 'Range not satisfiable', 'the range ends before it starts');
  return { offset, length: end - offset + 1 };
}

const TooLarge = () =>
  new AppError(413, 'body_too_large', 'Body too large', `an upload may be at most ${MAX_UPLOAD} bytes`);

/**
 * An upload's length from its Content-Length: 411 without one (restic always sends it, and a storage target
 * needs it to stream), 413 past {@link MAX_UPLOAD} before any of it is read.
 */
function lengthOf(req: FastifyRequest): number {
  const h = req.headers['content-length'];
  if (h === undefined || !/^\d{1,15}$/.test(h))
    throw new AppError(411, 'length_required', 'Length required', 'an upload needs a Content-Length header');
  const n = Number(h);
  if (n > MAX_UPLOAD) throw TooLarge();
  return n;
}

/** Path parameters of the endpoint's routes (validated by each route's schema first). */
interface Params {
  ciId: string;
  type?: string;
  name?: string;
}
const paramsOf = (req: FastifyRequest) => req.params as Params;

/** The file a request names: the config, or `type/name`. */
const handleOfRequest = (req: FastifyRequest) => {
  const p = paramsOf(req);
  return p.type === undefined ? handleOf('config', '') : handleOf(p.type, p.name ?? '');
};

/** The backup endpoint's routes. */
export function endpointRoutes(app: App, deps: TargetDeps, cache: BackendCache): void {
  const access = (req: FastifyRequest, reply: FastifyReply) => {
    const token = tokenOf(req);
    if (!token) {
      void reply.header('WWW-Authenticate', 'Basic realm="Steward backups"');
      throw Unauthenticated('give the agent token as the password');
    }
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    return deviceAccess(deps, cache, token, paramsOf(req).ciId, write);
  };
  void app.register((scope, _opts, done) => {
    // Uploads are raw bytes of any type, streamed by the handler itself to the storage target as they arrive.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    const opts = (params: z.ZodType, head = true) => ({
      config: { public: true },
      exposeHeadRoute: head,
      schema: { hide: true, params },
    });
    scope.post(`${BASE}/`, opts(Device), async (req, reply) =>
      createRepository(deps, await access(req, reply)),
    );
    for (const path of [`${BASE}/config`, `${BASE}/:type/:name`]) {
      const params = path.endsWith('config') ? Device : File;
      scope.head(path, opts(params), async (req, reply) => {
        const info = await statFile(await access(req, reply), handleOfRequest(req));
        return reply
          .header('Content-Length', info.size)
          .header('Content-Type', 'application/octet-stream')
          .send();
      });
      scope.get(path, opts(params, false), async (req, reply) => {
        const a = await access(req, reply);
        const range = rangeOf(req);
        const data = await loadFile(a, handleOfRequest(req), range?.offset, range?.length);
        if (range)
          void reply
            .code(206)
            .header('Content-Range', `bytes ${range.offset}-${range.offset + data.length - 1}/*`);
        return reply.header('Content-Type', 'application/octet-stream').send(data);
      });
      scope.post(path, opts(params), async (req, reply) => {
        const a = await access(req, reply);
        const length = lengthOf(req);
        const body = (req.body ?? req.raw) as AsyncIterable<Uint8Array>;
        await saveFile(deps, a, handleOfRequest(req), body, length);
        return reply.code(200).send();
      });
      scope.delete(path, opts(params), async (req, reply) => {
        await deleteFile(deps, await access(req, reply), handleOfRequest(req));
        return reply.code(200).send();
      });
    }
    scope.get(`${BASE}/:type/`, opts(Folder, false), async (req, reply) => {
      const files = await listFiles(await access(req, reply), listType(paramsOf(req).type ?? ''));
      if ((req.headers.accept ?? '').includes(V2))
        return reply.header('Content-Type', V2).send(JSON.stringify(files));
      return reply
        .header('Content-Type', 'application/vnd.x.restic.rest.v1')
        .send(JSON.stringify(files.map((f) => f.name)));
    });
    done();
  });
}
