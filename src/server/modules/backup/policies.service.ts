/**
 * Backup policies: when devices are backed up, what is kept and left out, how long snapshots are kept, the
 * recovery point objective. A policy is assigned to items, locations, teams or classes; a device takes the
 * most specific one that names it: its own item, then its location, then its team, then its class.
 */
import type {
  AgentBackupAccess,
  AssignPolicy,
  BackupPolicy,
  BackupSchedule,
  CreateBackupPolicy,
  PolicyCoverage,
  PolicyScope,
  UpdateBackupPolicy,
} from '../../../contracts/index.js';
import { DEFAULT_BACKUP_PATHS } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import { checkCron } from '../../platform/jobs/cron.js';
import { type Actor, can } from '../../platform/permissions.js';
import { classNames, computersInUse, type DeviceScope, itemNames } from '../cmdb/index.js';
import { existingTeamIds, getTeam } from '../teams/index.js';
import * as repo from './policies.repository.js';

/** Folders backed up when a policy names none: user profiles and home folders. */
export const DEFAULT_PATHS = {
  linux: [...DEFAULT_BACKUP_PATHS.linux],
  windows: [...DEFAULT_BACKUP_PATHS.windows],
  macos: [...DEFAULT_BACKUP_PATHS.macos],
};

/** Most specific first. */
const PRECEDENCE: PolicyScope[] = ['item', 'location', 'team', 'class'];

const DAYS = { 'mon-fri': '1-5', 'mon-sat': '1-6', 'every day': '*' } as const;

/** The cron pattern and time zone a schedule amounts to; 400 naming the field when it is not valid. */
export function cronOf(s: BackupSchedule): { cron: string; timeZone: string } {
  let cron: string;
  if (s.kind === 'cron') cron = s.cron;
  else {
    if (s.fromHour > s.toHour)
      throw Invalid('working hours end before they start', [
        { path: 'schedule.toHour', message: 'before fromHour' },
      ]);
    cron = `0 ${s.fromHour}-${s.toHour}/${s.everyHours} * * ${DAYS[s.days]}`;
  }
  try {
    checkCron(cron, s.timeZone);
  } catch (e) {
    throw Invalid((e as Error).message, [{ path: 'schedule', message: 'not a valid schedule' }]);
  }
  return { cron, timeZone: s.timeZone };
}

function valuesOf(input: CreateBackupPolicy): repo.PolicyValues {
  const { cron, timeZone } = cronOf(input.schedule);
  return {
    name: input.name,
    schedule: JSON.stringify(input.schedule),
    cron,
    time_zone: timeZone,
    paths: JSON.stringify({ ...DEFAULT_PATHS, ...input.paths }),
    excludes: JSON.stringify(input.excludes ?? []),
    exclude_caches: input.excludeCaches ?? true,
    exclude_larger_than: input.excludeLargerThan ?? null,
    retention: JSON.stringify(input.retention),
    rpo_minutes: input.rpoMinutes,
    upload_limit_kib: input.uploadLimitKiB ?? null,
  };
}

/** The stored policy as the create input it came from (to apply a partial update on). */
function inputOf(r: repo.PolicyRow): CreateBackupPolicy {
  return {
    name: r.name,
    schedule: r.schedule as unknown as BackupSchedule,
    paths: r.paths,
    excludes: r.excludes,
    excludeCaches: r.exclude_caches,
    excludeLargerThan: r.exclude_larger_than === null ? null : Number(r.exclude_larger_than),
    retention: r.retention,
    rpoMinutes: r.rpo_minutes,
    uploadLimitKiB: r.upload_limit_kib,
  };
}

/** Labels of assignment targets as people know them: item and location names, team names, class names. */
async function labelsOf(ctx: Ctx, actor: Actor, rows: readonly repo.AssignmentRow[]) {
  const items = await itemNames(
    ctx,
    rows.filter((r) => r.scope === 'item' || r.scope === 'location').map((r) => r.ref),
  );
  const classes = await classNames(ctx);
  const labels = new Map<string, string>();
  for (const r of rows) {
    let label = r.ref;
    if (r.scope === 'class') label = classes.get(r.ref) ?? r.ref;
    else if (r.scope === 'team')
      label = (await getTeam(ctx, actor, r.ref).catch(() => undefined))?.name ?? r.ref;
    else label = items.get(r.ref) ?? r.ref;
    labels.set(r.id, label);
  }
  return labels;
}

async function view(ctx: Ctx, actor: Actor, r: repo.PolicyRow): Promise<BackupPolicy> {
  const rows = await repo.assignments(ctx.db, r.id);
  const labels = await labelsOf(ctx, actor, rows);
  const i = inputOf(r);
  return {
    id: r.id,
    name: r.name,
    schedule: i.schedule,
    cron: r.cron,
    paths: r.paths,
    excludes: r.excludes,
    excludeCaches: r.exclude_caches,
    excludeLargerThan: i.excludeLargerThan ?? null,
    retention: r.retention,
    rpoMinutes: r.rpo_minutes,
    uploadLimitKiB: r.upload_limit_kib,
    assignments: rows.map((a) => ({
      id: a.id,
      scope: a.scope,
      ref: a.ref,
      label: labels.get(a.id) ?? a.ref,
    })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

const nameTaken = (name: string) =>
  Conflict(`a backup policy named “${name}” exists already`, 'name_taken', [
    { path: 'name', message: 'taken' },
  ]);

/** The policies service, for the routes. */
export function policiesService(ctx: Ctx) {
  const get = async (actor: Actor, id: string) => {
    can(actor, 'backup:admin');
    const r = await repo.findPolicy(ctx.db, id);
    if (!r) throw NotFound('backup policy');
    return view(ctx, actor, r);
  };
  return {
    async list(actor: Actor) {
      can(actor, 'backup:admin');
      return Promise.all((await repo.listPolicies(ctx.db)).map((r) => view(ctx, actor, r)));
    },
    get,
    async create(actor: Actor, input: CreateBackupPolicy) {
      can(actor, 'backup:admin');
      const values = valuesOf(input);
      try {
        const id = await ctx.tx(async (db) => {
          const id = await repo.insertPolicy(db, values);
          await record(db, actor, 'backup_policy.created', { type: 'backup_policy', id }, null, { ...input });
          return id;
        });
        return await get(actor, id);
      } catch (e) {
        if (isUniqueViolation(e)) throw nameTaken(input.name);
        throw e;
      }
    },
    async update(actor: Actor, id: string, version: number, input: UpdateBackupPolicy) {
      can(actor, 'backup:admin');
      try {
        await ctx.tx(async (db) => {
          const cur = await repo.findPolicy(db, id, true);
          if (!cur) throw NotFound('backup policy');
          if (cur.version !== version) throw Stale();
          const before = inputOf(cur);
          const next = { ...before, ...input };
          if (!(await repo.updatePolicy(db, id, version, valuesOf(next)))) throw Stale();
          await record(
            db,
            actor,
            'backup_policy.updated',
            { type: 'backup_policy', id },
            { ...before },
            { ...next },
          );
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw nameTaken(input.name ?? '');
        throw e;
      }
      return get(actor, id);
    },
    async remove(actor: Actor, id: string) {
      can(actor, 'backup:admin');
      await ctx.tx(async (db) => {
        const cur = await repo.findPolicy(db, id, true);
        if (!cur) throw NotFound('backup policy');
        await repo.deletePolicy(db, id);
        await record(
          db,
          actor,
          'backup_policy.deleted',
          { type: 'backup_policy', id },
          { name: cur.name },
          null,
        );
      });
    },
    /** Assigns the policy to an item, location, team or class (replacing that one's previous policy). */
    async assign(actor: Actor, id: string, input: AssignPolicy) {
      can(actor, 'backup:admin');
      await checkScope(ctx, input.scope, input.ref);
      await ctx.tx(async (db) => {
        const cur = await repo.findPolicy(db, id, true);
        if (!cur) throw NotFound('backup policy');
        const r = await repo.assign(db, id, input.scope, input.ref);
        await record(db, actor, 'backup_policy.assigned', { type: 'backup_policy', id }, null, {
          scope: input.scope,
          ref: input.ref,
          replaced: r.replaced,
        });
      });
      return get(actor, id);
    },
    /** Removes one of the policy's assignments. */
    async unassign(actor: Actor, id: string, assignmentId: string) {
      can(actor, 'backup:admin');
      await ctx.tx(async (db) => {
        const gone = await repo.unassign(db, id, assignmentId);
        if (!gone) throw NotFound('assignment');
        await record(
          db,
          actor,
          'backup_policy.unassigned',
          { type: 'backup_policy', id },
          { scope: gone.scope, ref: gone.ref },
          null,
        );
      });
      return get(actor, id);
    },
    /** Which devices the policy covers now, and through which assignment. */
    async coverage(actor: Actor, id: string): Promise<PolicyCoverage> {
      const policy = await get(actor, id);
      const all = await repo.assignments(ctx.db);
      const devices = await computersInUse(ctx);
      const byId = new Map(policy.assignments.map((a) => [a.id, a]));
      const out: PolicyCoverage['devices'] = [];
      for (const d of devices) {
        const win = winning(all, d);
        const mine = win && win.policy_id === id ? byId.get(win.id) : undefined;
        if (mine) out.push({ ciId: d.id, name: d.name, via: mine.scope, viaLabel: mine.label });
      }
      return { devices: out };
    },
  };
}

/** The policy that covers a device as its agent needs it, or null when none does. */
export async function effectivePolicy(ctx: Ctx, ciId: string): Promise<AgentBackupAccess['policy']> {
  const [device] = await computersInUse(ctx, ciId);
  const win = device && winning(await repo.assignments(ctx.db), device);
  const p = win && (await repo.findPolicy(ctx.db, win.policy_id));
  if (!p) return null;
  return {
    name: p.name,
    cron: p.cron,
    timeZone: p.time_zone,
    paths: p.paths,
    excludes: p.excludes,
    excludeCaches: p.exclude_caches,
    excludeLargerThan: p.exclude_larger_than === null ? null : Number(p.exclude_larger_than),
    uploadLimitKiB: p.upload_limit_kib,
    rpoMinutes: p.rpo_minutes,
  };
}

/** 400 unless the scope's reference exists: an item, a location item, a team, a class key. */
async function checkScope(ctx: Ctx, scope: PolicyScope, ref: string): Promise<void> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  let ok: boolean;
  if (scope === 'class') ok = (await classNames(ctx)).has(ref);
  else if (!uuid) ok = false;
  else if (scope === 'team') ok = (await existingTeamIds(ctx.db, [ref])).has(ref);
  else ok = (await itemNames(ctx, [ref])).has(ref);
  if (!ok)
    throw Invalid(`no ${scope} ${ref.slice(0, 100)} exists`, [{ path: 'ref', message: `not a ${scope}` }]);
}

/** The assignment that wins for a device, if any names it. */
export function winning(all: readonly repo.AssignmentRow[], d: DeviceScope): repo.AssignmentRow | undefined {
  const refOf: Record<PolicyScope, string | null> = {
    item: d.id,
    location: d.locationId,
    team: d.teamId,
    class: d.classKey,
  };
  for (const scope of PRECEDENCE) {
    const ref = refOf[scope];
    const hit = ref === null ? undefined : all.find((a) => a.scope === scope && a.ref === ref);
    if (hit) return hit;
  }
  return undefined;
}
