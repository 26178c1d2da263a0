// How backup facts read for people, in their language: times as "3 hours ago", spans as "2 days", sizes as
// "1.5 GB", a device's recovery point as a state with a colour, and a run in plain words. Each wording takes
// the translate function of useT(). Pure, unit-tested.
import type { BackupPolicy, BackupRun, DeviceBackupStatus, PolicyScope } from '@contracts';
import type { Translate } from '../../i18n';
import { formatNumber } from '../../ui/format';

const MINUTE = 60_000;

/** A span of minutes in the largest whole unit that reads well: "45 minutes", "3 hours", "2 days". */
export function span(t: Translate, minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return t('backup.span.minutes', { count: m });
  const h = m / 60;
  if (h < 48 && m % 1440 !== 0)
    return t('backup.span.hours', {
      count: Number.isInteger(h) || h >= 10 ? Math.round(h) : Math.round(h * 10) / 10,
    });
  const d = h / 24;
  if (d < 14 || !Number.isInteger(d / 7)) return t('backup.span.days', { count: Math.round(d) });
  return t('backup.span.weeks', { count: d / 7 });
}

/** How long ago `iso` was, from `now`: "just now", "12 minutes ago", "3 hours ago", "5 days ago". */
export function ago(t: Translate, iso: string, now: number = Date.now()): string {
  const minutes = Math.floor((now - Date.parse(iso)) / MINUTE);
  if (minutes < 1) return t('backup.ago.now');
  const h = Math.floor(minutes / 60);
  const d = Math.floor(h / 24);
  if (minutes < 60) return t('backup.ago.minutes', { count: minutes });
  if (h < 48) return t('backup.ago.hours', { count: h });
  return t('backup.ago.days', { count: d });
}

/** A byte count with a decimal unit, in the user's number format: "0 B", "12 kB", "1.5 GB" ("1,5 GB"). */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${formatNumber(i === 0 || v >= 10 ? Math.round(v) : Math.round(v * 10) / 10)} ${units[i]}`;
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

/** Every health, best first (for pickers). */
export const HEALTHS: Health[] = ['healthy', 'at_risk', 'breached', 'never', 'no_policy'];

/** A health's name ("At risk"). */
export function healthLabel(t: Translate, h: Health): string {
  return t(`backup.health.${h}`);
}

/** The badge colour of each health. */
export const HEALTH_TONE: Record<Health, 'success' | 'warning' | 'danger' | undefined> = {
  healthy: 'success',
  at_risk: 'warning',
  breached: 'danger',
  never: 'danger',
  no_policy: undefined,
};

/** Achieved recovery point against the target, in words: "5 hours of work at risk, target 1 day". */
export function rpoText(t: Translate, s: DeviceBackupStatus): string {
  const target = s.rpoTargetMinutes === null ? null : span(t, s.rpoTargetMinutes);
  if (s.atRiskMinutes === null)
    return target === null ? t('backup.rpo.noSnapshot') : t('backup.rpo.noSnapshotTarget', { target });
  const risk = span(t, s.atRiskMinutes);
  return target === null ? t('backup.rpo.atRisk', { risk }) : t('backup.rpo.atRiskTarget', { risk, target });
}

/** The dashboard's counts: healthy, at risk, breached, never backed up (and without a policy). */
export function countsOf(devices: readonly DeviceBackupStatus[]): Record<Health, number> {
  const out: Record<Health, number> = { healthy: 0, at_risk: 0, breached: 0, never: 0, no_policy: 0 };
  for (const d of devices) out[healthOf(d)]++;
  return out;
}

/** A run's outcome in words ("Completed with warnings"). */
export function runLabel(t: Translate, status: BackupRun['status']): string {
  return t(`backup.run.${status}`);
}

export const RUN_TONE: Record<BackupRun['status'], 'success' | 'warning' | 'danger'> = {
  succeeded: 'success',
  partial: 'warning',
  failed: 'danger',
};

/** What a run did, in a sentence: "3 new files, 2 changed files, 1.2 MB added" or "Nothing new or changed, …". */
export function runSummary(t: Translate, r: BackupRun): string {
  if (r.status === 'failed') return r.error ?? t('backup.run.failedSilently');
  const parts: string[] = [];
  if (r.filesNew > 0) parts.push(t('backup.run.newFiles', { count: r.filesNew }));
  if (r.filesChanged > 0) parts.push(t('backup.run.changedFiles', { count: r.filesChanged }));
  if (parts.length === 0) parts.push(t('backup.run.nothingNew'));
  parts.push(t('backup.run.added', { size: bytes(r.bytesAdded) }));
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How long a run took: "12 seconds", "4 minutes". */
export function took(t: Translate, r: Pick<BackupRun, 'startedAt' | 'finishedAt'>): string {
  const s = Math.max(0, Math.round((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000));
  if (s < 60) return t('backup.span.seconds', { count: s });
  return span(t, s / 60);
}

/** Cron's day of the week (0 and 7 are Sunday) as the catalogue's weekday. */
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WORK_DAYS = { 'mon-fri': 'monFri', 'mon-sat': 'monSat', 'every day': 'everyDay' } as const;
const pad = (n: number) => String(n).padStart(2, '0');

/** A policy's schedule in words: "Fridays at 17:00", "Every 2 hours from 8:00 to 18:00, Monday to Friday". */
export function scheduleText(t: Translate, p: Pick<BackupPolicy, 'schedule' | 'cron'>): string {
  const s = p.schedule;
  const zone = s.timeZone;
  if (s.kind === 'working_hours') {
    return t('backup.schedule.workingHours', {
      count: s.everyHours,
      from: s.fromHour,
      to: s.toHour,
      days: t(`backup.schedule.days.${WORK_DAYS[s.days]}`),
      zone,
    });
  }
  const m = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-7])$/.exec(s.cron.trim());
  if (m === null) return t('backup.schedule.cron', { cron: s.cron, zone });
  const time = `${pad(Number(m[2]))}:${pad(Number(m[1]))}`;
  if (m[3] === '*') return t('backup.schedule.daily', { time, zone });
  const day = WEEKDAYS[Number(m[3])] ?? 'sun';
  return t('backup.schedule.weekly', { day: t(`backup.schedule.on.${day}`), time, zone });
}

/** A policy's retention in words: "7 daily, 4 weekly, all within 30d". */
export function retentionText(t: Translate, r: BackupPolicy['retention']): string {
  const order = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
  const parts = order.flatMap((k) => {
    const n = r[k];
    return n === undefined ? [] : [t(`backup.keep.${k}`, { count: n })];
  });
  if (r.within !== undefined) parts.push(t('backup.keep.within', { within: r.within }));
  return parts.join(', ');
}

/** What a policy assignment names ("Computer", "Location"). */
export function scopeLabel(t: Translate, scope: PolicyScope): string {
  return t(`backup.scope.${scope}`);
}
