// How backup facts read for people: times as "3 hours ago", spans as "2 days", sizes as "1.5 GB", a device's
// recovery point as a state with a colour, and a run in plain words. Pure, unit-tested.
import type { BackupPolicy, BackupRun, DeviceBackupStatus, PolicyScope } from '@contracts';

const MINUTE = 60_000;

/** A span of minutes in the largest whole unit that reads well: "45 minutes", "3 hours", "2 days". */
export function span(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (m < 60) return unit(m, 'minute');
  const h = m / 60;
  if (h < 48 && m % 1440 !== 0)
    return Number.isInteger(h) || h >= 10 ? unit(Math.round(h), 'hour') : `${h.toFixed(1)} hours`;
  const d = h / 24;
  if (d < 14 || !Number.isInteger(d / 7)) return unit(Math.round(d), 'day');
  return unit(d / 7, 'week');
}

/** How long ago `iso` was, from `now`: "just now", "12 minutes ago", "3 hours ago", "5 days ago". */
export function ago(iso: string, now: number = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(iso)) / MINUTE);
  if (minutes < 1) return 'just now';
  const h = Math.floor(minutes / 60);
  const d = Math.floor(h / 24);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (minutes < 60) return unit(minutes, 'minute');
  if (h < 48) return unit(h, 'hour');
  return unit(d, 'day');
}

/** A byte count with a decimal unit: "0 B", "12 kB", "1.5 GB". */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 || v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Where a device stands, as the dashboard counts it. */
export type Health = 'healthy' | 'at_risk' | 'breached' | 'never' | 'no_policy';

/** Above this share of its RPO target a device is "at risk": the next missed run breaches it. */
export const AT_RISK_SHARE = 0.75;

/**
 * A device's health: breached past its target; never backed up; at risk when more than three quarters of the
 * target has gone by or its last run failed; healthy otherwise; no policy when none covers it.
 */
export function healthOf(s: DeviceBackupStatus): Health {
  switch (s.state) {
    case 'no_policy':
      return 'no_policy';
    case 'never_backed_up':
      return 'never';
    case 'breached':
      return 'breached';
    case 'ok':
      return (s.risk ?? 0) > AT_RISK_SHARE || s.lastRunStatus === 'failed' ? 'at_risk' : 'healthy';
  }
}

export const HEALTH_LABEL: Record<Health, string> = {
  healthy: 'Healthy',
  at_risk: 'At risk',
  breached: 'RPO breached',
  never: 'Never backed up',
  no_policy: 'No policy',
};

/** The badge colour of each health. */
export const HEALTH_TONE: Record<Health, 'success' | 'warning' | 'danger' | undefined> = {
  healthy: 'success',
  at_risk: 'warning',
  breached: 'danger',
  never: 'danger',
  no_policy: undefined,
};

/** Achieved recovery point against the target, in words: "5 hours of work at risk, target 1 day". */
export function rpoText(s: DeviceBackupStatus): string {
  const target = s.rpoTargetMinutes === null ? null : `target ${span(s.rpoTargetMinutes)}`;
  if (s.atRiskMinutes === null) return target === null ? 'No snapshot yet' : `No snapshot yet (${target})`;
  const risk = `${span(s.atRiskMinutes)} of work at risk`;
  return target === null ? risk : `${risk}, ${target}`;
}

/** The dashboard's counts: healthy, at risk, breached, never backed up (and without a policy). */
export function countsOf(devices: readonly DeviceBackupStatus[]): Record<Health, number> {
  const out: Record<Health, number> = { healthy: 0, at_risk: 0, breached: 0, never: 0, no_policy: 0 };
  for (const d of devices) out[healthOf(d)]++;
  return out;
}

export const RUN_LABEL: Record<BackupRun['status'], string> = {
  succeeded: 'Succeeded',
  partial: 'Completed with warnings',
  failed: 'Failed',
};

export const RUN_TONE: Record<BackupRun['status'], 'success' | 'warning' | 'danger'> = {
  succeeded: 'success',
  partial: 'warning',
  failed: 'danger',
};

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** What a run did, in a sentence: "3 new files, 2 changed, 1.2 MB added" or "Nothing changed". */
export function runSummary(r: BackupRun): string {
  if (r.status === 'failed') return r.error ?? 'The run failed without saying why.';
  const parts: string[] = [];
  if (r.filesNew > 0) parts.push(count(r.filesNew, 'new file'));
  if (r.filesChanged > 0) parts.push(count(r.filesChanged, 'changed file'));
  if (parts.length === 0) parts.push('nothing new or changed');
  parts.push(`${bytes(r.bytesAdded)} added`);
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How long a run took: "12 seconds", "4 minutes". */
export function took(r: Pick<BackupRun, 'startedAt' | 'finishedAt'>): string {
  const s = Math.max(0, Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  return span(s / 60);
}

const DAY_NAMES = [
  'Sundays',
  'Mondays',
  'Tuesdays',
  'Wednesdays',
  'Thursdays',
  'Fridays',
  'Saturdays',
  'Sundays',
];
const WORK_DAYS: Record<'mon-fri' | 'mon-sat' | 'every day', string> = {
  'mon-fri': 'Monday to Friday',
  'mon-sat': 'Monday to Saturday',
  'every day': 'every day',
};
const pad = (n: number) => String(n).padStart(2, '0');

/** A policy's schedule in words: "Fridays at 17:00", "every 2 hours from 8:00 to 18:00, Monday to Friday". */
export function scheduleText(p: Pick<BackupPolicy, 'schedule' | 'cron'>): string {
  const s = p.schedule;
  const zone = ` (${s.timeZone})`;
  if (s.kind === 'working_hours') {
    const every = s.everyHours === 1 ? 'every hour' : `every ${s.everyHours} hours`;
    return `${capital(every)} from ${s.fromHour}:00 to ${s.toHour}:00, ${WORK_DAYS[s.days]}${zone}`;
  }
  const m = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-7])$/.exec(s.cron.trim());
  if (m === null) return `Cron “${s.cron}”${zone}`;
  const at = `at ${pad(Number(m[2]))}:${pad(Number(m[1]))}`;
  return m[3] === '*' ? `Every day ${at}${zone}` : `${DAY_NAMES[Number(m[3])]} ${at}${zone}`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A policy's retention in words: "7 daily, 4 weekly, all within 30d". */
export function retentionText(r: BackupPolicy['retention']): string {
  const order = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'];
  const parts = order.filter((k) => r[k] !== undefined).map((k) => `${r[k]} ${k === 'last' ? 'latest' : k}`);
  if (r.within !== undefined) parts.push(`all within ${r.within}`);
  return parts.join(', ');
}

export const SCOPE_LABEL: Record<PolicyScope, string> = {
  item: 'Computer',
  location: 'Location',
  team: 'Team',
  class: 'Class',
};
