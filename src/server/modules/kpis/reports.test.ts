import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

/** Scheduled reports: their definitions, who sees them, and "send now" (the sending is reports.send.test.ts). */
describe('scheduled reports', () => {
  let app: TestApp;
  let mia: TestUser; // manager, the owner
  let ann: TestUser; // agent
  let rita: TestUser; // requester
  let desk: string;
  let mail: string; // a business service
  const admin = () => app.as(app.admin);
  const monthly = () => ({
    name: 'Monthly service report: Mail',
    kpis: ['sla_resolution', 'mttr', 'backlog'],
    serviceId: mail,
    period: 'last_month',
    formats: ['pdf', 'csv'],
    userIds: [ann.id],
    teamIds: [desk],
    schedule: { frequency: 'monthly', day: 1, hour: 6 },
  });
  const auditCount = async () =>
    Number(
      (
        await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'kpi_report.%'`.execute(app.database.db)
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [mia, ann, rita] = await Promise.all([
      app.user('manager', { name: 'Mia Manager' }),
      app.user('agent', { name: 'Ann Agent' }),
      app.user('requester', { name: 'Rita Requester' }),
    ]);
    desk = (
      await admin().post('/api/v1/teams', { name: 'Service desk', memberIds: [ann.id, rita.id] })
    ).json().id;
    mail = (await admin().post('/api/v1/cis', { classKey: 'service', name: 'Mail' })).json().id;
  });
  afterAll(async () => app.close());

  it('saves a monthly report, names its parts as people know them, and plans its next sending', async () => {
    const r = await app.as(mia).post('/api/v1/reports', monthly());
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers.etag).toBe('"v1"');
    expect(r.json()).toMatchObject({
      name: 'Monthly service report: Mail',
      owner: { id: mia.id, name: 'Mia Manager' },
      service: { id: mail, name: 'Mail' },
      users: [{ id: ann.id, name: 'Ann Agent' }],
      teams: [{ id: desk, name: 'Service desk' }],
      formats: ['pdf', 'csv'],
      schedule: { frequency: 'monthly', day: 1, hour: 6, timeZone: 'UTC' },
      lastSentAt: null,
      lastFailedAt: null,
    });
    const next = new Date(r.json().nextRunAt);
    expect(next.getUTCDate()).toBe(1);
    expect(next.getUTCHours()).toBe(6);
    expect(next > new Date()).toBe(true);
    const list = (await app.as(mia).get('/api/v1/reports')).json().items;
    expect(list.map((x: { id: string }) => x.id)).toContain(r.json().id);
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const before = (await app.as(mia).get('/api/v1/reports')).json().items.length;
    const audits = await auditCount();
    const bad: [string, Record<string, unknown>, string][] = [
      ['both content kinds', { dashboardId: 'preset-desk_manager' }, 'body.kpis'],
      ['no content', { kpis: [] }, 'body.kpis'],
      ['a KPI twice', { kpis: ['mttr', 'mttr'] }, 'body.kpis'],
      ['an unknown KPI', { kpis: ['happiness'] }, 'body.kpis.0'],
      ['a KPI not cut by service', { kpis: ['change_success'] }, 'body.serviceId'],
      ['no format', { formats: [] }, 'body.formats'],
      ['no recipient', { userIds: [], teamIds: [] }, 'body.userIds'],
      ['a requester', { userIds: [rita.id] }, 'body.userIds.0'],
      ['a forged person', { userIds: ['6f1c1b0e-0000-4000-8000-000000000000'] }, 'body.userIds.0'],
      ['a forged team', { teamIds: ['6f1c1b0e-0000-4000-8000-000000000001'] }, 'body.teamIds.0'],
      ['a forged service', { serviceId: '6f1c1b0e-0000-4000-8000-000000000002' }, 'body.serviceId'],
      ['a weekday 9', { schedule: { frequency: 'weekly', day: 9, hour: 6 } }, 'body.schedule.day'],
      ['a day 31', { schedule: { frequency: 'monthly', day: 31, hour: 6 } }, 'body.schedule.day'],
      ['hour 24', { schedule: { frequency: 'monthly', day: 1, hour: 24 } }, 'body.schedule.hour'],
      [
        'a bad zone',
        { schedule: { frequency: 'monthly', day: 1, hour: 6, timeZone: 'Mars/Base' } },
        'body.schedule.timeZone',
      ],
      ['a NUL in the name', { name: 'Monthly\u0000' }, 'body.name'],
      ['an unknown period', { period: 'last_century' }, 'body.period'],
      ['an unknown field', { colour: 'red' }, ''],
      [
        'a stranger’s dashboard',
        { kpis: [], serviceId: null, dashboardId: '6f1c1b0e-0000-4000-8000-000000000003' },
        'body.dashboardId',
      ],
    ];
    for (const [what, patch, path] of bad) {
      const r = await app.as(mia).post('/api/v1/reports', { ...monthly(), ...patch });
      expect(r.statusCode, `${what}: ${r.body}`).toBe(400);
      if (path)
        expect(
          r.json().errors.map((e: { path: string }) => e.path),
          what,
        ).toContain(path);
    }
    const raw = await app
      .as(mia)
      .post('/api/v1/reports', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), {
        'content-type': 'application/json',
      });
    expect(raw.statusCode).toBe(400);
    expect((await app.as(mia).get('/api/v1/reports')).json().items.length).toBe(before);
    expect(await auditCount()).toBe(audits);
  });

  it('is its owner’s alone: 404 for anyone else, admins included, and for ids that are not ids', async () => {
    const id = (await app.as(mia).post('/api/v1/reports', monthly())).json().id as string;
    for (const who of [ann, app.admin]) {
      const as = app.as(who);
      expect((await as.get(`/api/v1/reports/${id}`)).statusCode).toBe(404);
      expect((await as.get(`/api/v1/reports/${id}/runs`)).statusCode).toBe(404);
      expect((await as.post(`/api/v1/reports/${id}/send`)).statusCode).toBe(404);
      expect((await as.put(`/api/v1/reports/${id}`, monthly(), { 'if-match': '"v1"' })).statusCode).toBe(404);
      expect((await as.delete(`/api/v1/reports/${id}`)).statusCode).toBe(404);
      expect((await as.get('/api/v1/reports')).json().items.map((x: { id: string }) => x.id)).not.toContain(
        id,
      );
    }
    expect((await app.as(rita).get('/api/v1/reports')).statusCode).toBe(404);
    expect((await app.as(mia).get('/api/v1/reports/not-a-uuid')).statusCode).toBe(400);
    expect((await app.as(mia).get('/api/v1/reports/6f1c1b0e-0000-4000-8000-000000000009')).statusCode).toBe(
      404,
    );
    expect((await app.as(mia).get(`/api/v1/reports/${id}`)).statusCode).toBe(200);
  });

  it('changes with If-Match (stale: 412, none: 428) and deletes, each audited', async () => {
    const id = (await app.as(mia).post('/api/v1/reports', monthly())).json().id as string;
    const weekly = { ...monthly(), period: 'last_week', schedule: { frequency: 'weekly', day: 1, hour: 7 } };
    expect((await app.as(mia).put(`/api/v1/reports/${id}`, weekly)).statusCode).toBe(428);
    const ok = await app.as(mia).put(`/api/v1/reports/${id}`, weekly, { 'if-match': '"v1"' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ period: 'last_week', version: 2 });
    const next = new Date(ok.json().nextRunAt);
    expect([next.getUTCDay(), next.getUTCHours()]).toEqual([1, 7]);
    expect((await app.as(mia).put(`/api/v1/reports/${id}`, weekly, { 'if-match': '"v1"' })).statusCode).toBe(
      412,
    );
    const off = await app
      .as(mia)
      .put(`/api/v1/reports/${id}`, { ...weekly, enabled: false }, { 'if-match': '"v2"' });
    expect(off.json().nextRunAt).toBeNull();
    expect((await app.as(mia).delete(`/api/v1/reports/${id}`)).statusCode).toBe(204);
    expect((await app.as(mia).get(`/api/v1/reports/${id}`)).statusCode).toBe(404);
    const trail = await sql<{ action: string }>`SELECT action FROM audit_log WHERE entity_id = ${id}
      ORDER BY id`.execute(app.database.db);
    expect(trail.rows.map((r) => r.action)).toEqual([
      'kpi_report.created',
      'kpi_report.updated',
      'kpi_report.updated',
      'kpi_report.deleted',
    ]);
  });

  it('reports on a dashboard the owner sees, and queues a run with "send now"', async () => {
    const r = await app.as(mia).post('/api/v1/reports', {
      ...monthly(),
      kpis: [],
      serviceId: null,
      dashboardId: 'preset-it_manager',
      formats: ['pdf'],
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().dashboard).toEqual({ id: 'preset-it_manager', name: 'IT overview' });
    const run = await app.as(mia).post(`/api/v1/reports/${r.json().id}/send`);
    expect(run.statusCode, run.body).toBe(202);
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
      .toISOString()
      .slice(0, 10);
    expect(run.json()).toMatchObject({
      trigger: 'manual',
      status: 'queued',
      requestedBy: { id: mia.id, name: 'Mia Manager' },
      periodFrom: first,
    });
    const runs = (await app.as(mia).get(`/api/v1/reports/${r.json().id}/runs`)).json().items;
    expect(runs.map((x: { id: string }) => x.id)).toEqual([run.json().id]);
    const jobs = await sql<{ n: string }>`SELECT count(*) AS n FROM jobs WHERE name = 'kpis.report_send'
      AND payload->>'runId' = ${run.json().id}`.execute(app.database.db);
    expect(Number(jobs.rows[0]!.n)).toBe(1);
  });
});
