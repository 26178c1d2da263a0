/**
 * The backup endpoint's rules, apart from HTTP: which device an agent may reach (its own, else 404), and what
 * it may do there (append-only: add files and manage its locks, never delete or overwrite). Uploads are checked
 * against their names (restic names every file by the SHA-256 of its contents), as rest-server does, while
 * they stream through to the storage target.
 */
import { createHash } from 'node:crypto';
import type { Backend, FileHandle, FileInfo, FileType } from '../../../backup/backend/backend.js';
import { BackendNotFoundError } from '../../../backup/backend/backend.js';
import { errorMessage } from '../../../backup/errors.js';
import { record } from '../../platform/audit/index.js';
import { AppError, Forbidden, Invalid, NotFound, Unauthenticated } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { agentOfToken, computerName } from '../cmdb/index.js';
import * as repo from './backup.repository.js';
import { holdsClaimOn } from './restores.repository.js';
import { openTarget, type TargetDeps } from './targets.service.js';

/** restic's folder names in the REST protocol, and the file kinds they hold. */
const TYPES: Record<string, Exclude<FileType, 'config'>> = {
  data: 'pack',
  keys: 'key',
  locks: 'lock',
  snapshots: 'snapshot',
  index: 'index',
};

/** The largest file an agent may upload (restic's largest pack size, 128 MiB, and room for its header). */
export const MAX_UPLOAD = 130 * 1024 * 1024;

/** A device's repository as an agent reaches it. */
export interface DeviceAccess {
  backend: Backend;
  actor: Actor;
  /** The device's name, for the audit trail (looked up only when an entry is written, not per request). */
  device: () => Promise<string>;
  ciId: string;
}

/** The storage failed: 502, so the agent's restic retries. */
const StorageFailed = (e: unknown) =>
  new AppError(
    502,
    'target_failed',
    'Storage target failed',
    `the storage target failed: ${errorMessage(e)}`,
  );

/**
 * Opened backends by repository (and target version): opening SFTP or S3 costs a connection, and restic makes
 * hundreds of requests in one backup. Idle ones are closed after a while, and all of them at shutdown.
 */
export class BackendCache {
  private readonly open = new Map<string, { backend: Promise<Backend>; used: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly idleMs = 5 * 60_000) {
    this.timer = setInterval(() => void this.sweep(Date.now() - this.idleMs), Math.min(idleMs, 60_000));
    this.timer.unref();
  }

  /** The cached backend of `key`, opened by `make` when absent (a failed open is not kept). */
  get(key: string, make: () => Promise<Backend>): Promise<Backend> {
    const hit = this.open.get(key);
    if (hit) {
      hit.used = Date.now();
      return hit.backend;
    }
    const backend = make();
    this.open.set(key, { backend, used: Date.now() });
    backend.catch(() => this.open.delete(key));
    return backend;
  }

  private async sweep(before: number): Promise<void> {
    for (const [k, v] of this.open)
      if (v.used < before) {
        this.open.delete(k);
        await (await v.backend.catch(() => undefined))?.close().catch(() => undefined);
      }
  }

  /** Closes every backend. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sweep(Infinity);
  }
}

/**
 * The repository of device `ciId` for the agent holding `token`: 401 without a valid token, 404 when the
 * token's device is another one or has no repository (an agent learns nothing of other devices). One
 * exception: an agent restoring another device's snapshot onto its own (a running restore it claimed) may
 * read that device's repository (`write` false: GET and HEAD) while the restore runs; its writes are refused
 * (404, and recorded).
 */
export async function deviceAccess(
  deps: TargetDeps,
  cache: BackendCache,
  token: string,
  ciId: string,
  write: boolean,
): Promise<DeviceAccess> {
  const agent = await agentOfToken(deps.ctx, token);
  if (!agent) throw Unauthenticated('the agent token is unknown or revoked');
  if (agent.ciId !== ciId) {
    if (!(await holdsClaimOn(deps.ctx.db, agent.agentId, ciId))) throw NotFound('backup repository');
    if (write) {
      const actor: Actor = { userId: null, role: 'agent', label: `agent:${agent.hostname}`, via: 'token' };
      const device = (await computerName(deps.ctx, ciId)) ?? '(removed)';
      await deps.ctx.tx((db) =>
        record(db, actor, 'backup.refused', { type: 'ci', id: ciId }, null, {
          device,
          refused: 'writing to another device’s repository while restoring from it (read-only)',
        }),
      );
      throw NotFound('backup repository');
    }
  }
  const r = await repo.repositoryWithTarget(deps.ctx.db, ciId);
  if (!r) throw NotFound('backup repository');
  const target = { id: r.target_id, secrets: r.secrets, location: r.location };
  const backend = await cache
    .get(`${r.id}:${r.version}`, () => openTarget(deps.box, target, r.folder))
    .catch((e: unknown) => {
      throw StorageFailed(e);
    });
  const device = async () => (await computerName(deps.ctx, ciId)) ?? agent.hostname;
  return {
    backend,
    device,
    ciId,
    actor: { userId: null, role: 'agent', label: `agent:${agent.hostname}`, via: 'token' },
  };
}

/** The file a REST path names; 404 for an unknown folder, 400 for a name that is not a SHA-256. */
export function handleOf(type: string, name: string): FileHandle {
  if (type === 'config' && name === '') return { type: 'config', name: '' };
  const t = TYPES[type];
  if (!t) throw NotFound('folder');
  if (!/^[0-9a-f]{64}$/.test(name))
    throw Invalid(`“${name.slice(0, 80)}” is not a file name of a restic repository`);
  return { type: t, name };
}

/** The kind of file a listing folder holds. */
export function listType(type: string): Exclude<FileType, 'config'> {
  const t = TYPES[type];
  if (!t) throw NotFound('folder');
  return t;
}

const storage = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BackendNotFoundError) throw NotFound('file');
    throw e instanceof AppError ? e : StorageFailed(e);
  }
};

/** The size of a stored file. */
export const statFile = (a: DeviceAccess, h: FileHandle): Promise<FileInfo> =>
  storage(() => a.backend.stat(h));

/** Bytes of a stored file (all, or `length` from `offset`). */
export const loadFile = (a: DeviceAccess, h: FileHandle, offset?: number, length?: number): Promise<Buffer> =>
  storage(() => a.backend.load(h, offset, length));

/** Every file in a folder. */
export const listFiles = (a: DeviceAccess, type: Exclude<FileType, 'config'>): Promise<FileInfo[]> =>
  storage(async () => {
    const out: FileInfo[] = [];
    for await (const f of a.backend.list(type)) out.push(f);
    return out;
  });

async function refuse(deps: TargetDeps, a: DeviceAccess, what: string): Promise<never> {
  const device = await a.device();
  await deps.ctx.tx((db) =>
    record(db, a.actor, 'backup.refused', { type: 'ci', id: a.ciId }, null, {
      device,
      refused: what,
    }),
  );
  throw Forbidden(`the backup endpoint is append-only: ${what} is not allowed`);
}

/**
 * The bytes of an upload as they arrive, checked: exactly `length` of them, and (except for the config) with
 * the SHA-256 their name says. The last piece is held back until the check passes, so a storage that commits
 * on the last byte (an S3 PUT, a REST POST of known length) never commits a damaged or cut upload; a failed
 * check fails the stream, and the backend then stores nothing.
 */
export async function* verifiedUpload(
  body: AsyncIterable<Uint8Array>,
  h: FileHandle,
  length: number,
): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let held: Uint8Array | undefined;
  let n = 0;
  try {
    for await (const c of body) {
      n += c.byteLength;
      if (n > length) throw Invalid(`the upload is longer than its Content-Length (${length} bytes)`);
      hash.update(c);
      if (held) yield held;
      held = c;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw Invalid(`the upload was cut off after ${n} of ${length} bytes (${errorMessage(e)})`);
  }
  if (n < length) throw Invalid(`the upload was cut off after ${n} of ${length} bytes`);
  if (h.type !== 'config' && hash.digest('hex') !== h.name)
    throw Invalid('the upload does not match its name (its SHA-256 differs): it was damaged on the way');
  if (held) yield held;
}

/**
 * Stores an upload as it arrives (never more than a few pieces of it in memory): new files only (an existing
 * one is never overwritten), whose contents match their name. A damaged or cut upload leaves nothing.
 * A new snapshot is a finished backup: it is recorded in the audit trail.
 */
export async function saveFile(
  deps: TargetDeps,
  a: DeviceAccess,
  h: FileHandle,
  body: AsyncIterable<Uint8Array>,
  length: number,
): Promise<void> {
  if (await storage(() => a.backend.exists(h)))
    await refuse(
      deps,
      a,
      h.type === 'config' ? 'replacing the repository config' : `overwriting ${h.type} ${h.name.slice(0, 8)}`,
    );
  await storage(() => a.backend.saveStream(h, verifiedUpload(body, h, length), length));
  if (h.type === 'snapshot') {
    const device = await a.device();
    await deps.ctx.tx((db) =>
      record(db, a.actor, 'backup.snapshot_saved', { type: 'ci', id: a.ciId }, null, {
        device,
        snapshot: h.name.slice(0, 8),
      }),
    );
  }
}

/** Deletes a file: only the agent's locks; anything else is refused and recorded. */
export async function deleteFile(deps: TargetDeps, a: DeviceAccess, h: FileHandle): Promise<void> {
  if (h.type !== 'lock') await refuse(deps, a, `deleting ${h.type} ${h.name.slice(0, 8)}`);
  await storage(() => a.backend.remove(h));
}

/** Creating a repository: Steward creates each device's itself, so an agent's request is refused. */
export async function createRepository(deps: TargetDeps, a: DeviceAccess): Promise<never> {
  return refuse(deps, a, 'creating a repository (Steward created this one)');
}
