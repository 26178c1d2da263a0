// Form state of the backup admin pages and the API bodies made from it: storage targets (fields by kind,
// secrets sent only when given) and policies (schedule, paths, retention, RPO). Pure, unit-tested.
import {
  DEFAULT_BACKUP_PATHS,
  type BackupPolicy,
  type BackupTarget,
  type CreateBackupPolicy,
  type CreateBackupTarget,
  type TargetCredentials,
  type TargetKind,
  type UpdateBackupTarget,
} from '@contracts';
import { ApiError } from '../../api/client';
import type { Translate } from '../../i18n';

/** The server's message for the first field whose path starts with `prefix` (`schedule`, `credentials.region`). */
export function messageAt(error: unknown, prefix: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const hit = error.errors.find((e) => e.path === prefix || e.path.startsWith(`${prefix}.`));
  return hit === undefined ? undefined : hit.message.charAt(0).toUpperCase() + hit.message.slice(1);
}

/**
 * Each kind of target as an admin knows it: its address's prefix and example, and which secrets it takes
 * (its name and what its address is called are `backup.kind.<kind>` and `backup.kind.<kind>.address`).
 */
export const KINDS: Record<
  TargetKind,
  { prefix: string; example: string; secrets: (keyof TargetCredentials)[] }
> = {
  local: {
    prefix: '',
    example: '/srv/backups',
    secrets: [],
  },
  s3: {
    prefix: 's3:',
    example: 'https://s3.example.com/bucket/steward',
    secrets: ['accessKeyId', 'secretAccessKey', 'region'],
  },
  sftp: {
    prefix: 'sftp:',
    example: 'backup@nas.example.com:/srv/backups',
    secrets: ['privateKey', 'passphrase', 'hostKey'],
  },
  rest: {
    prefix: 'rest:',
    example: 'https://backup.example.com:8000/steward/',
    secrets: ['username', 'password'],
  },
};

export const KIND_ORDER: TargetKind[] = ['local', 's3', 'sftp', 'rest'];

const SECRETS: (keyof TargetCredentials)[] = [
  'accessKeyId',
  'secretAccessKey',
  'region',
  'privateKey',
  'passphrase',
  'hostKey',
  'username',
  'password',
];

/** A credential's name, as the form and the list name it ("Access key ID"); an unknown one as it is. */
export function secretLabel(t: Translate, key: string): string {
  const known = SECRETS.find((k) => k === key);
  return known === undefined ? key : t(`backup.secret.${known}`);
}

/** What the target form holds. Secrets start empty: stored ones are never sent back. */
export interface TargetDraft {
  name: string;
  kind: TargetKind;
  address: string;
  secrets: Partial<Record<keyof TargetCredentials, string>>;
  /** On an edit: replace the stored credentials with those typed (else they stay as they are). */
  replaceSecrets: boolean;
}

/** A fresh draft, or one for editing `t`. */
export function targetDraft(t?: BackupTarget): TargetDraft {
  if (t === undefined) return { name: '', kind: 'local', address: '', secrets: {}, replaceSecrets: true };
  const prefix = KINDS[t.kind].prefix;
  const address =
    prefix !== '' && t.location.startsWith(prefix) ? t.location.slice(prefix.length) : t.location;
  return { name: t.name, kind: t.kind, address, secrets: {}, replaceSecrets: false };
}

/** The restic location a draft names. */
export function locationOf(d: TargetDraft): string {
  return `${KINDS[d.kind].prefix}${d.address.trim()}`;
}

function credentialsOf(d: TargetDraft): TargetCredentials {
  const out: TargetCredentials = {};
  for (const key of KINDS[d.kind].secrets) {
    const v = d.secrets[key];
    if (v !== undefined && v.trim() !== '') out[key] = key === 'privateKey' ? v : v.trim();
  }
  return out;
}

/** The body that creates a target. */
export function createTargetBody(d: TargetDraft): CreateBackupTarget {
  return { name: d.name.trim(), location: locationOf(d), credentials: credentialsOf(d) };
}

/** The body that changes `t`: only what changed, and the credentials only when they are replaced. */
export function updateTargetBody(t: BackupTarget, d: TargetDraft): UpdateBackupTarget {
  const out: UpdateBackupTarget = {};
  if (d.name.trim() !== t.name) out.name = d.name.trim();
  if (locationOf(d) !== t.location) out.location = locationOf(d);
  if (d.replaceSecrets) out.credentials = credentialsOf(d);
  return out;
}

type Os = 'linux' | 'windows' | 'macos';
type Keep = 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
/** The retention's counts, in the form's order (their labels are `backup.form.keep.<key>`). */
export const KEEPS: { key: Keep }[] = [
  { key: 'last' },
  { key: 'hourly' },
  { key: 'daily' },
  { key: 'weekly' },
  { key: 'monthly' },
  { key: 'yearly' },
];
export type RpoUnit = 'minutes' | 'hours' | 'days';
const UNIT_MINUTES: Record<RpoUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** What the policy form holds: text as typed (numbers are checked by the server, which names the field). */
export interface PolicyDraft {
  name: string;
  scheduleKind: 'cron' | 'working_hours';
  cron: string;
  timeZone: string;
  everyHours: string;
  fromHour: string;
  toHour: string;
  days: 'mon-fri' | 'mon-sat' | 'every day';
  paths: Record<Os, string>;
  excludes: string;
  excludeCaches: boolean;
  excludeLargerThanMB: string;
  keep: Record<Keep, string>;
  keepWithin: string;
  rpo: string;
  rpoUnit: RpoUnit;
  uploadLimitKiB: string;
}

const lines = (xs: readonly string[]) => xs.join('\n');
const unlines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter((x) => x !== '');
/** An integer as typed; -1 (refused by the server, naming the field) when it is not one. */
const int = (s: string) => (Number.isInteger(Number(s.trim())) ? Number(s.trim()) : -1);
const optInt = (s: string) => (s.trim() === '' ? undefined : int(s));

/** The time zone of this browser (a new policy's default). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The best unit for `minutes` of RPO: whole days, else whole hours, else minutes. */
function rpoParts(minutes: number): { rpo: string; rpoUnit: RpoUnit } {
  if (minutes % 1440 === 0) return { rpo: String(minutes / 1440), rpoUnit: 'days' };
  if (minutes % 60 === 0) return { rpo: String(minutes / 60), rpoUnit: 'hours' };
  return { rpo: String(minutes), rpoUnit: 'minutes' };
}

/** A fresh draft (Fridays at 17:00, default folders, a week of dailies and a month of weeklies), or `p`'s. */
export function policyDraft(p?: BackupPolicy, timeZone = localTimeZone()): PolicyDraft {
  const s = p?.schedule;
  const keep = { last: '', hourly: '', daily: '', weekly: '', monthly: '', yearly: '' };
  for (const k of KEEPS) {
    const v = p?.retention[k.key];
    if (v !== undefined) keep[k.key] = String(v);
  }
  return {
    name: p?.name ?? '',
    scheduleKind: s?.kind ?? 'cron',
    cron: s?.kind === 'cron' ? s.cron : '0 17 * * 5',
    timeZone: s?.timeZone ?? timeZone,
    everyHours: s?.kind === 'working_hours' ? String(s.everyHours) : '1',
    fromHour: s?.kind === 'working_hours' ? String(s.fromHour) : '8',
    toHour: s?.kind === 'working_hours' ? String(s.toHour) : '18',
    days: s?.kind === 'working_hours' ? s.days : 'mon-fri',
    paths: {
      linux: lines(p?.paths.linux ?? DEFAULT_BACKUP_PATHS.linux),
      windows: lines(p?.paths.windows ?? DEFAULT_BACKUP_PATHS.windows),
      macos: lines(p?.paths.macos ?? DEFAULT_BACKUP_PATHS.macos),
    },
    excludes: lines(p?.excludes ?? []),
    excludeCaches: p?.excludeCaches ?? true,
    excludeLargerThanMB:
      p?.excludeLargerThan === null || p?.excludeLargerThan === undefined
        ? ''
        : String(p.excludeLargerThan / 1_000_000),
    keep: p === undefined ? { ...keep, daily: '7', weekly: '4' } : keep,
    keepWithin: typeof p?.retention.within === 'string' ? p.retention.within : '',
    ...rpoParts(p?.rpoMinutes ?? 7 * 1440),
    uploadLimitKiB:
      p?.uploadLimitKiB === null || p?.uploadLimitKiB === undefined ? '' : String(p.uploadLimitKiB),
  };
}

/** The policy a draft describes, as the API takes it. */
export function policyBody(d: PolicyDraft): CreateBackupPolicy {
  const retention: CreateBackupPolicy['retention'] = {};
  for (const k of KEEPS) {
    const v = optInt(d.keep[k.key]);
    if (v !== undefined) retention[k.key] = v;
  }
  if (d.keepWithin.trim() !== '') retention.within = d.keepWithin.trim();
  const mb = d.excludeLargerThanMB.trim();
  const limit = optInt(d.uploadLimitKiB);
  return {
    name: d.name.trim(),
    schedule:
      d.scheduleKind === 'cron'
        ? { kind: 'cron', cron: d.cron.trim(), timeZone: d.timeZone.trim() }
        : {
            kind: 'working_hours',
            everyHours: int(d.everyHours),
            fromHour: int(d.fromHour),
            toHour: int(d.toHour),
            days: d.days,
            timeZone: d.timeZone.trim(),
          },
    paths: {
      linux: unlines(d.paths.linux),
      windows: unlines(d.paths.windows),
      macos: unlines(d.paths.macos),
    },
    excludes: unlines(d.excludes),
    excludeCaches: d.excludeCaches,
    excludeLargerThan:
      mb === '' ? null : Number.isFinite(Number(mb)) ? Math.round(Number(mb) * 1_000_000) : -1,
    retention,
    rpoMinutes: int(d.rpo) * UNIT_MINUTES[d.rpoUnit],
    uploadLimitKiB: limit ?? null,
  };
}
