/**
 * restic's snapshot retention policy (`forget --keep-*`), as a pure function so it can be tested
 * table-driven and compared with `restic forget --dry-run --json`.
 *
 * Per group, snapshots are visited newest first. Each `--keep-<bucket> n` keeps a snapshot when its
 * bucket value (hour, day, ISO week, ... in the snapshot's own time zone) differs from the last one
 * that bucket kept, until n snapshots were kept by it. `--keep-last` treats every snapshot as its own
 * bucket. `--keep-tag` and `--keep-within*` keep independently of the counters.
 */

/** What the policy needs of a snapshot. */
export interface PolicySnapshot {
  id: string;
  /** RFC3339 time exactly as stored (its offset decides the calendar buckets). */
  time: string;
  hostname?: string;
  paths: string[];
  tags?: string[];
}

/** A `1y2m3d4h` duration as restic parses it. */
export interface Duration {
  years: number;
  months: number;
  days: number;
  hours: number;
}

/** `--keep-*` values. Counts of -1 mean unlimited (restic ≥ 0.15); 0 or absent means off. */
export interface KeepPolicy {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
  within?: Duration;
  withinHourly?: Duration;
  withinDaily?: Duration;
  withinWeekly?: Duration;
  withinMonthly?: Duration;
  withinYearly?: Duration;
  /** `--keep-tag`: each entry is a comma-separated list; a snapshot with all tags of one entry is kept. */
  tags?: string[];
}

/** Why a snapshot was kept, as in restic's JSON `reasons`. */
export interface KeepReason {
  snapshot: PolicySnapshot;
  matches: string[];
}

/** Result of applying a policy to one group. */
export interface PolicyResult {
  keep: PolicySnapshot[];
  remove: PolicySnapshot[];
  reasons: KeepReason[];
}

/** Parses restic's duration syntax (`1y2m3d4h`, any subset, in that order). */
export function parseDuration(s: string): Duration {
  const m = /^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?(?:(\d+)h)?$/.exec(s.trim());
  if (!m || s.trim() === '')
    throw new Error(`invalid duration ${JSON.stringify(s)} (expected e.g. 1y2m3d4h)`);
  return {
    years: Number(m[1] ?? 0),
    months: Number(m[2] ?? 0),
    days: Number(m[3] ?? 0),
    hours: Number(m[4] ?? 0),
  };
}

/** True when the policy keeps nothing (restic refuses to forget with an empty policy unless given IDs). */
export function isEmptyPolicy(p: KeepPolicy): boolean {
  return (
    !p.last &&
    !p.hourly &&
    !p.daily &&
    !p.weekly &&
    !p.monthly &&
    !p.yearly &&
    !p.within &&
    !p.withinHourly &&
    !p.withinDaily &&
    !p.withinWeekly &&
    !p.withinMonthly &&
    !p.withinYearly &&
    !(p.tags && p.tags.length > 0)
  );
}

/** Wall-clock fields of an RFC3339 time in its own offset (what Go's time.Parse keeps). */
interface Civil {
  ms: number;
  y: number;
  mo: number;
  d: number;
  h: number;
}

function civil(time: string): Civil {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new Error(`invalid snapshot time ${time}`);
  const m = /(Z|[+-]\d\d:\d\d)$/.exec(time);
  let off = 0;
  if (m && m[1] !== 'Z') {
    const sign = m[1]!.startsWith('-') ? -1 : 1;
    off = sign * (Number(m[1]!.slice(1, 3)) * 60 + Number(m[1]!.slice(4, 6)));
  }
  const w = new Date(ms + off * 60_000);
  return { ms, y: w.getUTCFullYear(), mo: w.getUTCMonth() + 1, d: w.getUTCDate(), h: w.getUTCHours() };
}

function isoWeek(c: Civil): number {
  const d = new Date(Date.UTC(c.y, c.mo - 1, c.d));
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - day + 3); // Thursday of this week decides the ISO year
  const isoYear = d.getUTCFullYear();
  const week = 1 + Math.floor((d.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000));
  return isoYear * 100 + week;
}

type BucketFn = (c: Civil, index: number) => number;
const BUCKETS: {
  key: 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
  reason: string;
  fn: BucketFn;
}[] = [
  { key: 'last', reason: 'last snapshot', fn: (_c, i) => i },
  { key: 'hourly', reason: 'hourly snapshot', fn: (c) => c.y * 1_000_000 + c.mo * 10_000 + c.d * 100 + c.h },
  { key: 'daily', reason: 'daily snapshot', fn: (c) => c.y * 10_000 + c.mo * 100 + c.d },
  { key: 'weekly', reason: 'weekly snapshot', fn: isoWeek },
  { key: 'monthly', reason: 'monthly snapshot', fn: (c) => c.y * 100 + c.mo },
  { key: 'yearly', reason: 'yearly snapshot', fn: (c) => c.y },
];

const WITHIN: { key: keyof KeepPolicy; reason: string; bucket: BucketFn | null }[] = [
  { key: 'within', reason: 'within', bucket: null },
  { key: 'withinHourly', reason: 'within hourly', bucket: BUCKETS[1]!.fn },
  { key: 'withinDaily', reason: 'within daily', bucket: BUCKETS[2]!.fn },
  { key: 'withinWeekly', reason: 'within weekly', bucket: BUCKETS[3]!.fn },
  { key: 'withinMonthly', reason: 'within monthly', bucket: BUCKETS[4]!.fn },
  { key: 'withinYearly', reason: 'within yearly', bucket: BUCKETS[5]!.fn },
];

/** Go's AddDate(-y,-m,-d) then Add(-h): month arithmetic on UTC fields with normalisation. */
function subtract(ms: number, d: Duration): number {
  const t = new Date(ms);
  const r = Date.UTC(
    t.getUTCFullYear() - d.years,
    t.getUTCMonth() - d.months,
    t.getUTCDate() - d.days,
    t.getUTCHours(),
    t.getUTCMinutes(),
    t.getUTCSeconds(),
    t.getUTCMilliseconds(),
  );
  return r - d.hours * 3_600_000;
}

function hasTagList(s: PolicySnapshot, list: string): boolean {
  const want = list.split(',').filter((t) => t !== '');
  return want.every((t) => (s.tags ?? []).includes(t));
}

/** Applies a policy to one group of snapshots (any order); returns keep/remove lists, newest first. */
export function applyPolicy(snapshots: PolicySnapshot[], policy: KeepPolicy): PolicyResult {
  const list = snapshots
    .map((s) => ({ s, c: civil(s.time) }))
    .sort((a, b) => b.c.ms - a.c.ms || (a.s.id < b.s.id ? 1 : -1));
  const result: PolicyResult = { keep: [], remove: [], reasons: [] };
  if (isEmptyPolicy(policy)) {
    result.keep = list.map((x) => x.s);
    return result;
  }
  const latest = list[0]?.c.ms ?? 0;
  const counters = BUCKETS.map((b) => ({ ...b, left: policy[b.key] ?? 0, lastValue: Number.NaN }));
  const withinState = WITHIN.map((w) => {
    const d = policy[w.key] as Duration | undefined;
    return { ...w, since: d ? subtract(latest, d) : null, lastValue: Number.NaN };
  });
  list.forEach(({ s, c }, index) => {
    const matches: string[] = [];
    for (const t of policy.tags ?? []) {
      if (hasTagList(s, t)) {
        matches.push(`has tags ${t.split(',').join(', ')}`);
        break;
      }
    }
    for (const w of withinState) {
      if (w.since === null || !(c.ms > w.since)) continue;
      if (w.bucket === null) matches.push(w.reason);
      else {
        const v = w.bucket(c, index);
        if (v !== w.lastValue) {
          w.lastValue = v;
          matches.push(w.reason);
        }
      }
    }
    for (const b of counters) {
      if (b.left === 0) continue;
      const v = b.fn(c, index);
      if (v !== b.lastValue) {
        b.lastValue = v;
        if (b.left > 0) b.left--;
        matches.push(b.reason);
      }
    }
    if (matches.length > 0) {
      result.keep.push(s);
      result.reasons.push({ snapshot: s, matches });
    } else result.remove.push(s);
  });
  return result;
}

/** Group key fields (`--group-by`, default `host,paths`). */
export interface GroupBy {
  host: boolean;
  paths: boolean;
  tags: boolean;
}

/** Parses `--group-by` (a comma-separated subset of host, paths, tags; empty means no grouping). */
export function parseGroupBy(s: string): GroupBy {
  const g: GroupBy = { host: false, paths: false, tags: false };
  for (const part of s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')) {
    if (part === 'host' || part === 'paths' || part === 'tags') g[part] = true;
    else throw new Error(`unknown --group-by field ${JSON.stringify(part)} (use host, paths, tags)`);
  }
  return g;
}

/** The key restic prints for a group. */
export interface GroupKey {
  hostname: string;
  paths: string[] | null;
  tags: string[] | null;
}

/** Groups snapshots as restic does (paths and tags compared sorted). */
export function groupSnapshots<T extends Pick<PolicySnapshot, 'hostname' | 'paths' | 'tags'>>(
  snapshots: T[],
  by: GroupBy,
): { key: GroupKey; snapshots: T[] }[] {
  const groups = new Map<string, { key: GroupKey; snapshots: T[] }>();
  for (const s of snapshots) {
    const key: GroupKey = {
      hostname: by.host ? (s.hostname ?? '') : '',
      paths: by.paths ? [...s.paths].sort() : null,
      // No tags is null, as Go's nil slice prints.
      tags: by.tags && s.tags?.length ? [...s.tags].sort() : null,
    };
    const k = JSON.stringify(key);
    const g = groups.get(k) ?? { key, snapshots: [] };
    g.snapshots.push(s);
    groups.set(k, g);
  }
  return [...groups.values()];
}
