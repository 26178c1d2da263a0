import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';

describe('company backups: policies, assignments and what a device gets', () => {
  let app: TestApp;
  let dir: string;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    dir = mkdtempSync(join(tmpdir(), 'steward-policies-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = () => app.as(app.admin);
  const policy = (name: string, extra: Record<string, unknown> = {}) =>
    admin().post('/api/v1/backup/policies', {
      name,
      schedule: { kind: 'cron', cron: '0 17 * * 5', timeZone: 'Europe/Paris' },
      retention: { daily: 7, weekly: 4 },
      rpoMinutes: 7 * 24 * 60,
      ...extra,
    });

  it('stores a policy with defaults, turns working hours into cron, and refuses bad schedules', async () => {
    const weekly = await policy('Weekly, Friday 17:00');
    expect(weekly.statusCode).toBe(201);
    expect(weekly.json()).toMatchObject({
      cron: '0 17 * * 5',
      paths: { linux: ['/home', '/root'], windows: ['C:\\Users'], macos: ['/Users'] },
      excludeCaches: true,
      assignments: [],
    });
    const hourly = await policy('Hourly in office hours', {
      schedule: {
        kind: 'working_hours',
        everyHours: 1,
        fromHour: 8,
        toHour: 18,
        days: 'mon-fri',
        timeZone: 'Europe/Berlin',
      },
      rpoMinutes: 120,
    });
    expect(hourly.json().cron).toBe('0 8-18/1 * * 1-5');
    const badTz = await policy('x', {
      schedule: { kind: 'cron', cron: '0 17 * * 5', timeZone: 'Mars/Olympus' },
    });
    expect(badTz.statusCode).toBe(400);
    const badCron = await policy('y', { schedule: { kind: 'cron', cron: '61 * * * *', timeZone: 'UTC' } });
    expect(badCron.statusCode).toBe(400);
    const backwards = await policy('z', {
      schedule: {
        kind: 'working_hours',
        everyHours: 2,
        fromHour: 18,
        toHour: 8,
        days: 'mon-fri',
        timeZone: 'UTC',
      },
    });
    expect(backwards.json().errors[0].path).toBe('schedule.toHour');
    expect((await policy('keeps nothing', { retention: {} })).statusCode).toBe(400);
    expect((await policy('weekly, FRIDAY 17:00')).statusCode).toBe(409);
  });

  it('gives each device the most specific policy: item, then location, then team, then class', async () => {
    const byClass = (await policy('Laptops')).json();
    const byTeam = (await policy('Finance team')).json();
    const byLocation = (await policy('Paris office')).json();
    const byItem = (await policy('The CFO’s laptop')).json();
    const team = (await admin().post('/api/v1/teams', { name: 'Finance' })).json();
    const paris = (await admin().post('/api/v1/cis', { classKey: 'location', name: 'Paris office' })).json();
    const a = await enrolDevice(app, 'anna-laptop');
    const b = await enrolDevice(app, 'ben-laptop');
    const c = await enrolDevice(app, 'cfo-laptop');
    const d = await enrolDevice(app, 'dora-laptop');
    const setItem = async (id: string, fields: Record<string, unknown>) => {
      const cur = await admin().get(`/api/v1/cis/${id}`);
      const r = await admin().patch(`/api/v1/cis/${id}`, fields, { 'if-match': cur.headers.etag as string });
      expect(r.statusCode).toBe(200);
    };
    await setItem(b.ciId, { teamId: team.id });
    await setItem(c.ciId, { teamId: team.id, locationId: paris.id });
    await setItem(d.ciId, { teamId: team.id, locationId: paris.id });
    const assign = (id: string, scope: string, ref: string) =>
      admin().post(`/api/v1/backup/policies/${id}/assignments`, { scope, ref });
    expect((await assign(byClass.id, 'class', 'laptop')).statusCode).toBe(200);
    expect((await assign(byTeam.id, 'team', team.id)).statusCode).toBe(200);
    expect((await assign(byLocation.id, 'location', paris.id)).statusCode).toBe(200);
    const item = await assign(byItem.id, 'item', c.ciId);
    expect(item.json().assignments).toEqual([
      expect.objectContaining({ scope: 'item', label: 'cfo-laptop' }),
    ]);
    expect((await assign(byItem.id, 'team', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(400);
    expect((await assign(byItem.id, 'class', 'no-such-class')).statusCode).toBe(400);

    const policyOf = async (token: string) =>
      (await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${token}` })).json();
    const target = (
      await admin().post('/api/v1/backup/targets', { name: 'Disk', location: join(dir, 'store') })
    ).json();
    for (const x of [a, b, c, d])
      expect(
        (await admin().put(`/api/v1/backup/repositories/${x.ciId}`, { targetId: target.id })).statusCode,
      ).toBe(201);
    expect((await policyOf(a.token)).policy.name).toBe('Laptops');
    expect((await policyOf(b.token)).policy.name).toBe('Finance team');
    expect((await policyOf(c.token)).policy.name).toBe('The CFO’s laptop');
    expect((await policyOf(d.token)).policy).toMatchObject({
      name: 'Paris office',
      cron: '0 17 * * 5',
      timeZone: 'Europe/Paris',
    });

    const preview = (await admin().get(`/api/v1/backup/policies/${byTeam.id}/devices`)).json();
    expect(preview.devices).toEqual([{ ciId: b.ciId, name: 'ben-laptop', via: 'team', viaLabel: 'Finance' }]);
    const classPreview = (await admin().get(`/api/v1/backup/policies/${byClass.id}/devices`)).json();
    expect(classPreview.devices.map((x: { name: string }) => x.name)).toContain('anna-laptop');
    expect(classPreview.devices.map((x: { name: string }) => x.name)).not.toContain('cfo-laptop');

    // Assigning the class to another policy moves it; removing the item assignment falls back to location.
    const moved = await assign(byTeam.id, 'class', 'laptop');
    expect(
      moved
        .json()
        .assignments.map((x: { label: string }) => x.label)
        .sort(),
    ).toEqual(['Finance', 'Laptop']);
    expect((await policyOf(a.token)).policy.name).toBe('Finance team');
    const itemAssignment = item.json().assignments[0].id as string;
    expect(
      (await admin().delete(`/api/v1/backup/policies/${byItem.id}/assignments/${itemAssignment}`)).statusCode,
    ).toBe(200);
    expect((await policyOf(c.token)).policy.name).toBe('Paris office');
  });

  it('keeps one policy per assignment when admins assign the same class at once', async () => {
    const ps = await Promise.all(Array.from({ length: 10 }, (_, i) => policy(`Race ${i}`)));
    const ids = ps.map((p) => p.json().id as string);
    const results = await Promise.all(
      ids.map((id) =>
        admin().post(`/api/v1/backup/policies/${id}/assignments`, { scope: 'class', ref: 'server' }),
      ),
    );
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const owners = (await Promise.all(ids.map((id) => admin().get(`/api/v1/backup/policies/${id}`)))).filter(
      (r) => r.json().assignments.some((a: { ref: string }) => a.ref === 'server'),
    );
    expect(owners).toHaveLength(1);
  });

  it('updates with If-Match, audits, and is for admins only', async () => {
    const p = await policy('Editable');
    const etag = p.headers.etag as string;
    const up = await admin().patch(
      `/api/v1/backup/policies/${p.json().id}`,
      { rpoMinutes: 60 },
      { 'if-match': etag },
    );
    expect(up.statusCode).toBe(200);
    expect(up.json().rpoMinutes).toBe(60);
    expect(
      (
        await admin().patch(
          `/api/v1/backup/policies/${p.json().id}`,
          { rpoMinutes: 90 },
          { 'if-match': etag },
        )
      ).statusCode,
    ).toBe(412);
    const agent = await app.user('agent');
    expect([403, 404]).toContain((await app.as(agent).get('/api/v1/backup/policies')).statusCode);
    expect((await admin().delete(`/api/v1/backup/policies/${p.json().id}`)).statusCode).toBe(204);
  });
});
