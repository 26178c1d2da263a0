import { describe, expect, it } from 'vitest';
import type { BackupRun, DeviceBackupStatus } from '@contracts';
import {
  ago,
  bytes,
  countsOf,
  healthOf,
  retentionText,
  rpoText,
  runSummary,
  scheduleText,
  span,
  took,
} from './labels';
import { translator } from '../../i18n/translator';

const t = translator('en');

const status = (over: Partial<DeviceBackupStatus>): DeviceBackupStatus => ({
  ciId: '00000000-0000-4000-8000-000000000001',
  name: 'pc',
  policy: 'Daily',
  rpoTargetMinutes: 24 * 60,
  lastGoodAt: null,
  lastRunAt: null,
  lastRunStatus: null,
  atRiskMinutes: null,
  risk: null,
  state: 'ok',
  changedFiles: null,
  changedSeenAt: null,
  incident: null,
  ...over,
});

describe('backup labels', () => {
  it('reads spans, times and sizes as people say them', () => {
    expect(span(t, 1)).toBe('1 minute');
    expect(span(t, 45)).toBe('45 minutes');
    expect(span(t, 60)).toBe('1 hour');
    expect(span(t, 90)).toBe('1.5 hours');
    expect(span(t, 24 * 60)).toBe('1 day');
    expect(span(t, 30 * 60)).toBe('30 hours');
    expect(span(t, 3 * 24 * 60)).toBe('3 days');
    expect(span(t, 14 * 24 * 60)).toBe('2 weeks');
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(ago(t, '2026-01-10T11:59:40Z', now)).toBe('just now');
    expect(ago(t, '2026-01-10T11:00:00Z', now)).toBe('1 hour ago');
    expect(ago(t, '2026-01-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(ago(t, '2026-01-05T12:00:00Z', now)).toBe('5 days ago');
    expect(bytes(0)).toBe('0 B');
    expect(bytes(1500)).toBe('1.5 kB');
    expect(bytes(1_500_000_000)).toBe('1.5 GB');
    expect(bytes(250_000_000)).toBe('250 MB');
  });

  it('tells healthy, at risk, breached and never backed up apart, and counts them', () => {
    const healthy = status({ atRiskMinutes: 60, risk: 60 / 1440, lastRunStatus: 'succeeded' });
    const late = status({ atRiskMinutes: 1200, risk: 1200 / 1440, lastRunStatus: 'succeeded' });
    const failing = status({ atRiskMinutes: 60, risk: 0.04, lastRunStatus: 'failed' });
    const breached = status({ state: 'breached', atRiskMinutes: 3000, risk: 2.1 });
    const never = status({ state: 'never_backed_up' });
    const none = status({ state: 'no_policy', policy: null, rpoTargetMinutes: null });
    expect([healthy, late, failing, breached, never, none].map(healthOf)).toEqual([
      'healthy',
      'at_risk',
      'at_risk',
      'breached',
      'never',
      'no_policy',
    ]);
    expect(countsOf([healthy, late, failing, breached, never])).toEqual({
      healthy: 1,
      at_risk: 2,
      breached: 1,
      never: 1,
      no_policy: 0,
    });
    expect(rpoText(t, breached)).toBe('2 days of work at risk, target 1 day');
    expect(rpoText(t, never)).toBe('No snapshot yet (target 1 day)');
    expect(rpoText(t, none)).toBe('No snapshot yet');
  });

  it('says what a run did in words', () => {
    const run: BackupRun = {
      id: '00000000-0000-4000-8000-000000000002',
      ciId: '00000000-0000-4000-8000-000000000001',
      startedAt: '2026-01-10T12:00:00Z',
      finishedAt: '2026-01-10T12:04:00Z',
      status: 'succeeded',
      snapshotId: 'a'.repeat(64),
      filesNew: 3,
      filesChanged: 1,
      filesUnmodified: 100,
      bytesProcessed: 0,
      bytesAdded: 1_200_000,
      warnings: [],
      error: null,
      reportedAt: '2026-01-10T12:04:01Z',
    };
    expect(runSummary(t, run)).toBe('3 new files, 1 changed file, 1.2 MB added');
    expect(runSummary(t, { ...run, filesNew: 0, filesChanged: 0, bytesAdded: 0 })).toBe(
      'Nothing new or changed, 0 B added',
    );
    expect(runSummary(t, { ...run, status: 'failed', snapshotId: null, error: 'the disk is full' })).toBe(
      'the disk is full',
    );
    expect(took(t, run)).toBe('4 minutes');
    expect(took(t, { ...run, finishedAt: '2026-01-10T12:00:12Z' })).toBe('12 seconds');
  });
});

describe('policy labels', () => {
  it('reads schedules and retention in words', () => {
    const cron = (c: string) => ({
      cron: c,
      schedule: { kind: 'cron' as const, cron: c, timeZone: 'Europe/Paris' },
    });
    expect(scheduleText(t, cron('0 17 * * 5'))).toBe('Fridays at 17:00 (Europe/Paris)');
    expect(scheduleText(t, cron('30 2 * * *'))).toBe('Every day at 02:30 (Europe/Paris)');
    expect(scheduleText(t, cron('0 */4 * * 1-5'))).toBe('Cron “0 */4 * * 1-5” (Europe/Paris)');
    expect(
      scheduleText(t, {
        cron: '0 8-18/2 * * 1-5',
        schedule: {
          kind: 'working_hours',
          everyHours: 2,
          fromHour: 8,
          toHour: 18,
          days: 'mon-fri',
          timeZone: 'UTC',
        },
      }),
    ).toBe('Every 2 hours from 8:00 to 18:00, Monday to Friday (UTC)');
    expect(retentionText(t, { daily: 7, weekly: 4, within: '30d' })).toBe(
      '7 daily, 4 weekly, all within 30d',
    );
    expect(retentionText(t, { last: 3 })).toBe('3 latest');
  });
});

describe('labels in German', () => {
  it('reads spans, times, runs and schedules in German, with German plural rules and numbers', () => {
    const de = translator('de');
    expect(span(de, 90)).toBe('1,5 Stunden');
    expect(span(de, 24 * 60)).toBe('1 Tag');
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(ago(de, '2026-01-05T12:00:00Z', now)).toBe('vor 5 Tagen');
    expect(ago(de, '2026-01-10T11:59:40Z', now)).toBe('gerade eben');
    expect(retentionText(de, { daily: 7, weekly: 4, within: '30d' })).toBe(
      '7 tägliche, 4 wöchentliche, alle innerhalb von 30d',
    );
    expect(
      scheduleText(de, {
        cron: '0 17 * * 5',
        schedule: { kind: 'cron', cron: '0 17 * * 5', timeZone: 'UTC' },
      }),
    ).toBe('Freitags um 17:00 (UTC)');
  });
});
