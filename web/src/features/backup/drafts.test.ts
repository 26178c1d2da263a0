import { describe, expect, it } from 'vitest';
import type { BackupPolicy, BackupTarget } from '@contracts';
import { createTargetBody, policyBody, policyDraft, targetDraft, updateTargetBody } from './drafts';

const s3: BackupTarget = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Bucket',
  kind: 's3',
  location: 's3:https://s3.example.com/bucket/steward',
  credentialsSet: ['accessKeyId', 'secretAccessKey'],
  repositories: 0,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
};

describe('target drafts', () => {
  it('builds a location from the kind and its address, with only the kind’s secrets', () => {
    const d = targetDraft();
    expect(createTargetBody({ ...d, name: ' Disk ', address: ' /srv/backups ' })).toEqual({
      name: 'Disk',
      location: '/srv/backups',
      credentials: {},
    });
    expect(
      createTargetBody({
        ...d,
        name: 'NAS',
        kind: 'sftp',
        address: 'backup@nas:/srv',
        secrets: { privateKey: 'KEY\n', hostKey: ' SHA256:x ', accessKeyId: 'not for sftp', passphrase: '' },
      }),
    ).toEqual({
      name: 'NAS',
      location: 'sftp:backup@nas:/srv',
      credentials: { privateKey: 'KEY\n', hostKey: 'SHA256:x' },
    });
  });

  it('edits without secrets: stored ones are never shown, and sent only when replaced', () => {
    const d = targetDraft(s3);
    expect(d).toMatchObject({ kind: 's3', address: 'https://s3.example.com/bucket/steward', secrets: {} });
    expect(updateTargetBody(s3, d)).toEqual({});
    expect(updateTargetBody(s3, { ...d, name: 'Old bucket' })).toEqual({ name: 'Old bucket' });
    expect(
      updateTargetBody(s3, {
        ...d,
        replaceSecrets: true,
        secrets: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      }),
    ).toEqual({ credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' } });
  });
});

describe('policy drafts', () => {
  it('turns the form into the API body: lines, sizes, retention and the RPO in minutes', () => {
    const d = policyDraft(undefined, 'Europe/Paris');
    expect(d.paths.linux).toBe('/home\n/root');
    const body = policyBody({
      ...d,
      name: ' Laptops ',
      excludes: '*.tmp\n\n node_modules ',
      excludeLargerThanMB: '1.5',
      keepWithin: '30d',
      rpo: '2',
      rpoUnit: 'hours',
      uploadLimitKiB: '512',
    });
    expect(body).toEqual({
      name: 'Laptops',
      schedule: { kind: 'cron', cron: '0 17 * * 5', timeZone: 'Europe/Paris' },
      paths: { linux: ['/home', '/root'], windows: ['C:\\Users'], macos: ['/Users'] },
      excludes: ['*.tmp', 'node_modules'],
      excludeCaches: true,
      excludeLargerThan: 1_500_000,
      retention: { daily: 7, weekly: 4, within: '30d' },
      rpoMinutes: 120,
      uploadLimitKiB: 512,
    });
    const hours = policyBody({ ...d, scheduleKind: 'working_hours', everyHours: 'two' });
    expect(hours.schedule).toMatchObject({ kind: 'working_hours', everyHours: -1, fromHour: 8, toHour: 18 });
  });

  it('reads a stored policy back into the form', () => {
    const p = {
      name: 'Servers',
      schedule: {
        kind: 'working_hours',
        everyHours: 2,
        fromHour: 7,
        toHour: 19,
        days: 'mon-sat',
        timeZone: 'UTC',
      },
      cron: '0 7-19/2 * * 1-6',
      paths: { linux: ['/srv'], windows: [], macos: ['/Users'] },
      excludes: ['*.iso'],
      excludeCaches: false,
      excludeLargerThan: 2_000_000_000,
      retention: { last: 10, within: '1y' },
      rpoMinutes: 3 * 1440,
      uploadLimitKiB: null,
    } as unknown as BackupPolicy;
    const d = policyDraft(p);
    expect(d).toMatchObject({
      scheduleKind: 'working_hours',
      everyHours: '2',
      days: 'mon-sat',
      paths: { linux: '/srv', windows: '', macos: '/Users' },
      excludeLargerThanMB: '2000',
      keep: { last: '10', daily: '' },
      keepWithin: '1y',
      rpo: '3',
      rpoUnit: 'days',
      uploadLimitKiB: '',
    });
    expect(policyBody(d)).toMatchObject({ retention: { last: 10, within: '1y' }, rpoMinutes: 4320 });
  });
});
