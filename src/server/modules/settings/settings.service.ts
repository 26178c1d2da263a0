import { DiscoverySettings, PriorityMatrix, ServiceDeskSettings } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { NotFound, Stale } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import * as repo from './settings.repository.js';

/** The matrix of GUIDE.md §6, used if the stored one is ever unreadable. */
export const DEFAULT_MATRIX: number[][] = [
  [1, 1, 2, 2, 2],
  [1, 2, 2, 3, 3],
  [2, 2, 3, 4, 4],
  [2, 3, 4, 4, 5],
  [2, 3, 4, 5, 5],
];

/** A setting with its version (for ETag/If-Match). */
export interface Versioned<T> {
  value: T;
  version: number;
}

async function load<T>(
  db: Db,
  key: string,
  parse: (v: unknown) => T | undefined,
  fallback: T,
): Promise<Versioned<T>> {
  const row = await repo.find(db, key);
  if (!row) return { value: fallback, version: 0 };
  // A hand-edited, invalid row must not break ticket creation: fall back to the default.
  return { value: parse(row.value) ?? fallback, version: row.version };
}

const DESK_DEFAULTS: ServiceDeskSettings = { reopenWindowDays: 7, autoCloseDays: 14 };

const parseMatrix = (v: unknown) => PriorityMatrix.safeParse({ matrix: v }).data?.matrix;
const parseDesk = (v: unknown) => ServiceDeskSettings.safeParse(v).data;
const DISCOVERY_DEFAULTS: DiscoverySettings = { maxNewSoftwarePerReport: 5000, retiredInstallationDays: 180 };
const parseDiscovery = (v: unknown) => DiscoverySettings.safeParse(v).data;

/** The bounds on discovery reports (for other modules: no permission check). */
export async function discoveryLimitsOf(db: Db): Promise<DiscoverySettings> {
  return (await load(db, 'discovery', parseDiscovery, DISCOVERY_DEFAULTS)).value;
}

/** The priority matrix (for other modules: no permission check). */
export async function priorityMatrixOf(db: Db): Promise<number[][]> {
  return (await load(db, 'priority_matrix', parseMatrix, DEFAULT_MATRIX)).value;
}

/** The reopen window in days (for other modules: no permission check). */
export async function reopenWindowDaysOf(db: Db): Promise<number> {
  return (await load(db, 'service_desk', parseDesk, DESK_DEFAULTS)).value.reopenWindowDays;
}

/** Days after which a resolved ticket closes by itself (for other modules: no permission check). */
export async function autoCloseDaysOf(db: Db): Promise<number> {
  return (await load(db, 'service_desk', parseDesk, DESK_DEFAULTS)).value.autoCloseDays;
}

/** A setting the API reads and replaces: its row, how to read it, its default, and its API form `B`. */
export interface SettingDef<T, B> {
  key: string;
  parse: (v: unknown) => T | undefined;
  fallback: T;
  /** The API's form of the stored value (also how it appears in the audit trail). */
  shown: (v: T) => B;
  /** The stored form of the API's body. */
  stored: (body: B) => T;
}

/** A setting stored as the API shows it (an object). */
const plain = <T extends object>(key: string, parse: (v: unknown) => T | undefined, fallback: T) => ({
  key,
  parse,
  fallback,
  shown: (v: T) => v,
  stored: (b: T) => b,
});

/** The priority matrix (stored bare, shown as `{ matrix }`). */
export const PRIORITY_MATRIX: SettingDef<number[][], PriorityMatrix> = {
  key: 'priority_matrix',
  parse: parseMatrix,
  fallback: DEFAULT_MATRIX,
  shown: (matrix) => ({ matrix }),
  stored: (body) => body.matrix,
};

/** The service-desk settings. */
export const SERVICE_DESK: SettingDef<ServiceDeskSettings, ServiceDeskSettings> = plain(
  'service_desk',
  parseDesk,
  DESK_DEFAULTS,
);

/** Bounds on discovery reports. */
export const DISCOVERY: SettingDef<DiscoverySettings, DiscoverySettings> = plain(
  'discovery',
  parseDiscovery,
  DISCOVERY_DEFAULTS,
);

/** A setting with its version, as the API shows it (agents and above). */
export async function getSetting<T, B>(ctx: Ctx, actor: Actor, def: SettingDef<T, B>): Promise<Versioned<B>> {
  if (!allows(actor, 'settings:read')) throw NotFound('setting');
  const s = await load(ctx.db, def.key, def.parse, def.fallback);
  return { value: def.shown(s.value), version: s.version };
}

/**
 * Replaces a setting if it is still at `version` (admins), audited as `settings.<key>.updated`. For the
 * priority matrix, existing tickets keep their priority until impact or urgency change.
 */
export async function putSetting<T, B extends object>(
  ctx: Ctx,
  actor: Actor,
  def: SettingDef<T, B>,
  version: number,
  body: B,
): Promise<Versioned<B>> {
  if (!allows(actor, 'settings:read')) throw NotFound('setting');
  can(actor, 'settings:write');
  return ctx.tx(async (db) => {
    const before = await load(db, def.key, def.parse, def.fallback);
    const row = await repo.update(db, def.key, version, def.stored(body));
    if (!row) throw Stale();
    const audited = (v: B) => ({ ...v }) as Record<string, unknown>;
    await record(
      db,
      actor,
      `settings.${def.key}.updated`,
      { type: 'settings', id: def.key },
      audited(def.shown(before.value)),
      audited(body),
    );
    return { value: body, version: row.version };
  });
}
