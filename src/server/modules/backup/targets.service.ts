/**
 * Storage targets of company backups: where each device's restic repository lives. Admins register them;
 * credentials are sealed under the master key and never answered back; a target can be tested with a probe.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  BackupTarget,
  CreateBackupTarget,
  TargetCredentials,
  TargetKind,
  TargetTestResult,
  UpdateBackupTarget,
} from '../../../contracts/index.js';
import type { Backend } from '../../../backup/backend/backend.js';
import { type Env, LocationError, openBackend, parseLocation } from '../../../backup/backend/location.js';
import { errorMessage } from '../../../backup/errors.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import type { SecretBox } from '../../platform/envelope.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { type Actor, can } from '../../platform/permissions.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import * as repo from './backup.repository.js';

/** What the targets service needs: the database and the box that seals credentials. */
export interface TargetDeps {
  ctx: Ctx;
  box: SecretBox;
}

const sealContext = (id: string) => `backup_target:${id}`;

/** Which credentials each kind needs, and which it may take. */
const NEEDS: Record<
  TargetKind,
  { required: (keyof TargetCredentials)[]; allowed: (keyof TargetCredentials)[] }
> = {
  local: { required: [], allowed: [] },
  s3: { required: ['accessKeyId', 'secretAccessKey'], allowed: ['accessKeyId', 'secretAccessKey', 'region'] },
  sftp: { required: ['privateKey', 'hostKey'], allowed: ['privateKey', 'passphrase', 'hostKey'] },
  rest: { required: [], allowed: ['username', 'password'] },
};

/** The kind of a location, checked with its credentials; throws 400 naming the field. */
function checkTarget(location: string, credentials: TargetCredentials): TargetKind {
  let kind: TargetKind;
  try {
    const loc = parseLocation(location);
    kind = loc.kind;
    if (loc.kind === 'local' && !loc.path.startsWith('/'))
      throw new LocationError('a folder on the server must be an absolute path (/srv/backups)');
    if (loc.kind === 'rest' && new URL(loc.url).password)
      throw new LocationError('put the REST server’s user name and password in the credentials, not the URL');
  } catch (e) {
    if (e instanceof LocationError) throw Invalid(e.message, [{ path: 'location', message: e.message }]);
    throw e;
  }
  const need = NEEDS[kind];
  const given = Object.keys(credentials) as (keyof TargetCredentials)[];
  const missing = need.required.filter((k) => !credentials[k]);
  const extra = given.filter((k) => !need.allowed.includes(k));
  if (missing.length > 0)
    throw Invalid(
      `a ${kind} target needs ${missing.join(' and ')}`,
      missing.map((k) => ({ path: `credentials.${k}`, message: 'required' })),
    );
  if (extra.length > 0)
    throw Invalid(
      `a ${kind} target takes no ${extra.join(' or ')}`,
      extra.map((k) => ({ path: `credentials.${k}`, message: `not used by a ${kind} target` })),
    );
  if (kind === 'rest' && Boolean(credentials.username) !== Boolean(credentials.password))
    throw Invalid('a REST server takes a user name and a password together', [
      { path: 'credentials.password', message: 'give both or neither' },
    ]);
  return kind;
}

function view(r: repo.TargetRow, credentialsSet: string[]): BackupTarget {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    location: r.location,
    credentialsSet,
    repositories: r.repositories,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

/** The credentials of a stored target, opened. */
function credentialsOf(box: SecretBox, r: Pick<repo.TargetRow, 'id' | 'secrets'>): TargetCredentials {
  return r.secrets ? (JSON.parse(box.open(r.secrets, sealContext(r.id))) as TargetCredentials) : {};
}

const seal = (box: SecretBox, id: string, c: TargetCredentials) =>
  Object.keys(c).length > 0 ? box.seal(JSON.stringify(c), sealContext(id)) : null;

/** A location below a target's: `folder` joined as each kind writes paths. */
export function locationBelow(location: string, folder: string): string {
  if (location.startsWith('rest:')) return `${location.replace(/\/*$/, '/')}${folder}/`;
  return `${location.replace(/\/+$/, '')}/${folder}`;
}

/** Opens the backend of `folder` below a target (the target itself when `folder` is empty). */
export async function openTarget(
  box: SecretBox,
  target: Pick<repo.TargetRow, 'id' | 'secrets' | 'location'>,
  folder: string,
): Promise<Backend> {
  const c = credentialsOf(box, target);
  const env: Env = {
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_DEFAULT_REGION: c.region,
    RESTIC_REST_USERNAME: c.username,
    RESTIC_REST_PASSWORD: c.password,
    STEWARD_SFTP_KEY: c.privateKey,
    STEWARD_SFTP_KEY_PASSPHRASE: c.passphrase,
    STEWARD_SFTP_HOST_KEY: c.hostKey,
    HOME: undefined,
  };
  return openBackend(folder ? locationBelow(target.location, folder) : target.location, env);
}

/** Every target (admins). */
export async function listTargets({ ctx, box }: TargetDeps, actor: Actor): Promise<BackupTarget[]> {
  can(actor, 'backup:admin');
  return (await repo.listTargets(ctx.db)).map((r) => view(r, Object.keys(credentialsOf(box, r))));
}

/** One target (admins). */
export async function getTarget({ ctx, box }: TargetDeps, actor: Actor, id: string): Promise<BackupTarget> {
  can(actor, 'backup:admin');
  const r = await repo.findTarget(ctx.db, id);
  if (!r) throw NotFound('storage target');
  return view(r, Object.keys(credentialsOf(box, r)));
}

const nameTaken = (name: string) =>
  Conflict(`a storage target named “${name}” exists already`, 'name_taken', [
    { path: 'name', message: 'taken' },
  ]);

/** Registers a target (admins); its credentials are sealed before they reach the database. */
export async function createTarget(
  deps: TargetDeps,
  actor: Actor,
  input: CreateBackupTarget,
): Promise<BackupTarget> {
  can(actor, 'backup:admin');
  const kind = checkTarget(input.location, input.credentials);
  const id = randomUUID();
  try {
    await deps.ctx.tx(async (db) => {
      await repo.insertTarget(db, {
        id,
        name: input.name,
        kind,
        location: input.location,
        secrets: seal(deps.box, id, input.credentials),
      });
      await record(db, actor, 'backup_target.created', { type: 'backup_target', id }, null, {
        name: input.name,
        location: input.location,
        credentials: Object.keys(input.credentials),
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name);
    throw e;
  }
  return getTarget(deps, actor, id);
}

/** Changes a target at `version` (admins). Its location cannot move while repositories live there. */
export async function updateTarget(
  deps: TargetDeps,
  actor: Actor,
  id: string,
  version: number,
  input: UpdateBackupTarget,
): Promise<BackupTarget> {
  can(actor, 'backup:admin');
  try {
    await deps.ctx.tx(async (db) => {
      const cur = await repo.findTarget(db, id, true);
      if (!cur) throw NotFound('storage target');
      if (cur.version !== version) throw Stale();
      const location = input.location ?? cur.location;
      if (location !== cur.location && cur.repositories > 0)
        throw Conflict(
          `${cur.repositories} device repositories live on “${cur.name}”: move them before changing its location`,
          'target_in_use',
        );
      const credentials = input.credentials ?? credentialsOf(deps.box, cur);
      const kind = checkTarget(location, credentials);
      const name = input.name ?? cur.name;
      if (
        !(await repo.updateTarget(db, id, version, {
          name,
          kind,
          location,
          secrets: seal(deps.box, id, credentials),
        }))
      )
        throw Stale();
      await record(
        db,
        actor,
        'backup_target.updated',
        { type: 'backup_target', id },
        { name: cur.name, location: cur.location },
        { name, location, ...(input.credentials ? { credentials: Object.keys(credentials) } : {}) },
      );
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name ?? '');
    throw e;
  }
  return getTarget(deps, actor, id);
}

/** Removes a target no repository uses (admins). */
export async function deleteTarget({ ctx }: TargetDeps, actor: Actor, id: string): Promise<void> {
  can(actor, 'backup:admin');
  await ctx.tx(async (db) => {
    const cur = await repo.findTarget(db, id, true);
    if (!cur) throw NotFound('storage target');
    if (!(await repo.deleteTarget(db, id)))
      throw Conflict(
        `${cur.repositories} device repositories live on “${cur.name}”: it cannot be removed`,
        'target_in_use',
      );
    await record(
      db,
      actor,
      'backup_target.deleted',
      { type: 'backup_target', id },
      { name: cur.name, location: cur.location },
      null,
    );
  });
}

/**
 * Tests a target (admins): writes a probe file into a probe folder below it, reads it back, lists it and
 * deletes it, timing each step. The probe folder (`.steward-probe`) stays, empty.
 */
export async function testTarget(deps: TargetDeps, actor: Actor, id: string): Promise<TargetTestResult> {
  can(actor, 'backup:admin');
  const target = await repo.findTarget(deps.ctx.db, id);
  if (!target) throw NotFound('storage target');
  const steps: TargetTestResult['steps'] = [];
  const body = randomBytes(4096);
  const h = { type: 'lock' as const, name: randomBytes(32).toString('hex') };
  let backend: Backend | undefined;
  const step = async (name: TargetTestResult['steps'][number]['step'], fn: () => Promise<void>) => {
    const t0 = performance.now();
    try {
      await fn();
    } finally {
      steps.push({ step: name, ok: false, ms: Math.round(performance.now() - t0) });
    }
    steps[steps.length - 1]!.ok = true;
  };
  let error: string | null = null;
  try {
    backend = await openTarget(deps.box, target, '.steward-probe');
    const b = backend;
    await step('write', async () => {
      await b.create().catch(() => undefined);
      await b.save(h, body);
    });
    await step('read', async () => {
      if (!(await b.load(h)).equals(body))
        throw new Error('the probe read back differs from what was written');
    });
    await step('list', async () => {
      for await (const f of b.list('lock')) if (f.name === h.name) return;
      throw new Error('the probe is missing from the listing');
    });
    await step('delete', () => b.remove(h));
  } catch (e) {
    error = errorMessage(e);
  } finally {
    await backend?.close().catch(() => undefined);
  }
  await deps.ctx.tx((db) =>
    record(db, actor, 'backup_target.tested', { type: 'backup_target', id }, null, {
      ok: error === null,
      error,
    }),
  );
  return { ok: error === null, steps, error };
}

/**
 * Opens the storage of `folder` below target `targetId` for another part of Steward (its own backup): the
 * target's name and backend, or NotFound when the target is gone.
 */
export async function openTargetFolder(
  { ctx, box }: TargetDeps,
  targetId: string,
  folder: string,
): Promise<{ name: string; backend: Backend }> {
  const t = await repo.findTarget(ctx.db, targetId);
  if (!t) throw NotFound('storage target');
  return { name: t.name, backend: await openTarget(box, t, folder) };
}

/** A target's name, or undefined when there is none with that id. */
export async function targetName({ ctx }: TargetDeps, targetId: string): Promise<string | undefined> {
  return (await repo.findTarget(ctx.db, targetId))?.name;
}
