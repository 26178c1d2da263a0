import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import {
  captureSettings,
  type CapturedMail,
  type SmtpCapture,
  startSmtpCapture,
} from '../../../../test/support/smtp-capture.js';
import { parseCsv } from '../../platform/csv.js';
import { fireDueReports } from './index.js';

/** The text a PDF shows (our writer puts each line in one Tj string). */
const pdfText = (b: Buffer) =>
  [...b.toString('latin1').matchAll(/\((.*?)\) Tj/g)]
    .map((m) => m[1]!.replace(/\\([()\\])/g, '$1'))
    .join('\n');

/**
 * Sending scheduled reports through a real SMTP session: the attachments and their numbers, the recipients,
 * one sending however many due-job runs race (and after downtime), and a refused send retried.
 */
describe('sending scheduled reports', () => {
  let app: TestApp;
  let smtp: SmtpCapture;
  let mia: TestUser; // manager, owner
  let ann: TestUser; // agent, on the desk team
  let bob: TestUser; // agent, named
  let rita: TestUser; // requester, on the desk team: never receives KPIs
  let desk: string;
  let mail: string;
  const since = (n: number) => (m: CapturedMail) => smtp.mails.indexOf(m) >= n;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    app = await setup({ STEWARD_JOBS: 'on', STEWARD_JOBS_POLL_MS: '100', ...captureSettings(smtp) });
    [mia, ann, bob, rita] = await Promise.all([
      app.user('manager', { name: 'Mia Manager' }),
      app.user('agent', { name: 'Ann Agent' }),
      app.user('agent', { name: 'Bob Builder' }),
      app.user('requester', { name: 'Rita Requester' }),
    ]);
    const admin = app.as(app.admin);
    desk = (await admin.post('/api/v1/teams', { name: 'Service desk', memberIds: [ann.id, rita.id] })).json()
      .id;
    mail = (await admin.post('/api/v1/cis', { classKey: 'service', name: 'Mail' })).json().id;
    for (const title of ['Mailbox full', 'Cannot send']) {
      const t = await app.as(ann).post('/api/v1/tickets', {
        type: 'incident',
        title,
        requesterId: rita.id,
        teamId: desk,
        ciIds: [mail],
      });
      expect(t.statusCode, t.body).toBe(201);
      // opened 40 days ago: in the backlog at the end of last month (the triggers mark it for the KPI facts)
      await sql`UPDATE tickets SET created_at = now() - interval '40 days' WHERE id = ${t.json().id}`.execute(
        app.database.db,
      );
    }
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  const create = async (extra: Record<string, unknown> = {}) => {
    const r = await app.as(mia).post('/api/v1/reports', {
      name: 'Monthly service report: Mail',
      kpis: ['sla_resolution', 'backlog', 'mttr'],
      serviceId: mail,
      period: 'last_month',
      formats: ['pdf', 'csv'],
      userIds: [bob.id],
      teamIds: [desk],
      schedule: { frequency: 'monthly', day: 1, hour: 6 },
      ...extra,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string; name: string }>();
  };
  const runsOf = async (id: string) => (await app.as(mia).get(`/api/v1/reports/${id}/runs`)).json().items;
  const settled = async (id: string, n = 1) => {
    for (let i = 0; i < 300; i++) {
      const runs = await runsOf(id);
      if (runs.length >= n && runs.every((r: { status: string }) => r.status === 'sent')) return runs;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not sent: ${JSON.stringify(await runsOf(id))}`);
  };

  it('mails the PDF and the CSV to the people and the team’s members who may see KPIs, with the API’s numbers', async () => {
    const rep = await create();
    const n = smtp.mails.length;
    const sent = await app.as(mia).post(`/api/v1/reports/${rep.id}/send`);
    expect(sent.statusCode, sent.body).toBe(202);
    const [run] = await settled(rep.id);
    expect(run.recipients.map((p: { name: string }) => p.name)).toEqual(['Ann Agent', 'Bob Builder']);
    const got = await Promise.all(
      [ann, bob].map((u) => smtp.waitFor((m) => since(n)(m) && m.to.includes(u.email))),
    );
    await new Promise((r) => setTimeout(r, 300));
    const mine = smtp.mails.slice(n);
    expect(mine.length).toBe(2);
    expect(mine.some((m) => m.to.includes(rita.email))).toBe(false);
    const m = got[0]!;
    const { periodFrom: from, periodTo: to } = run;
    expect(m.subject).toBe(`Monthly service report: Mail: ${from} to ${to}`);
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`monthly-service-report-mail-${from}.pdf`, 'application/pdf'],
      [`monthly-service-report-mail-${from}.csv`, 'text/csv'],
    ]);
    const pdf = m.attachments[0]!.content;
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    const text = pdfText(pdf);
    expect(text).toContain('Monthly service report: Mail');
    expect(text).toContain(`Period ${from} to ${to} (UTC)`);
    expect(text).toContain('SLA resolution compliance (service Mail)');
    expect(text).toContain('Backlog (service Mail)');
    const rows = parseCsv(m.attachments[1]!.content.toString('utf8')).map((r) => r.fields);
    expect(rows[0]).toEqual(
      'report,kpi,name,team,service,from,to,value,count,hits,unit,target,met'.split(','),
    );
    // one row per KPI per period: six months each, the report's month last
    expect(rows.length).toBe(1 + 3 * 6);
    for (const key of ['sla_resolution', 'backlog', 'mttr']) {
      const api = await app
        .as(mia)
        .get(`/api/v1/kpis/${key}?from=${from}&to=${to}&granularity=month&serviceId=${mail}`);
      expect(api.statusCode, api.body).toBe(200);
      const mineRows = rows.filter((r) => r[1] === key);
      expect(mineRows.length).toBe(6);
      const last = mineRows.at(-1)!;
      expect([last[5], last[6]]).toEqual([from, to]);
      const a = api.json();
      expect([last[7], last[8], last[9], last[11]]).toEqual([
        a.value === null ? '' : String(a.value),
        String(a.count),
        a.hits === null ? '' : String(a.hits),
        String(a.target),
      ]);
      expect(last[12]).toBe(a.met === null ? 'no data' : a.met ? 'met' : 'not met');
      if (key === 'backlog') expect(last[7]).toBe('2');
    }
    const report = (await app.as(mia).get(`/api/v1/reports/${rep.id}`)).json();
    expect(report.lastSentAt).not.toBeNull();
    const trail = await sql<{ action: string; after: { to: string[] } }>`SELECT action, after FROM audit_log
      WHERE entity_id = ${rep.id} AND action = 'kpi_report.sent'`.execute(app.database.db);
    expect(trail.rows.map((r) => r.after.to)).toEqual([['Ann Agent', 'Bob Builder']]);
  });

  it('sends a due report once when many due-job runs race, and once after a long downtime', async () => {
    const rep = await create({ name: 'Race report', formats: ['csv'], teamIds: [] });
    // Down since three months: three due times passed; one sending catches up.
    await sql`UPDATE kpi_reports SET next_run_at = now() - interval '92 days' WHERE id = ${rep.id}`.execute(
      app.database.db,
    );
    const n = smtp.mails.length;
    const fired = await Promise.all(Array.from({ length: 8 }, () => fireDueReports(app.server.ctx)));
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    await settled(rep.id);
    await smtp.waitFor((m) => since(n)(m) && m.subject.startsWith('Race report'));
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails.slice(n).filter((m) => m.subject.startsWith('Race report')).length).toBe(1);
    const runs = await runsOf(rep.id);
    expect(runs.length).toBe(1);
    // the catch-up reports the last month, not the one of the first missed due time
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
      .toISOString()
      .slice(0, 10);
    expect(runs[0].periodFrom).toBe(first);
    const next = new Date((await app.as(mia).get(`/api/v1/reports/${rep.id}`)).json().nextRunAt);
    expect(next > new Date()).toBe(true);
    expect(await fireDueReports(app.server.ctx)).toBe(0);
  });

  it('records a refused send on the report and its run, and retries it to success', async () => {
    const rep = await create({ name: 'Retry report', formats: ['pdf'], teamIds: [] });
    smtp.refuseNext(1);
    await app.as(mia).post(`/api/v1/reports/${rep.id}/send`);
    let failed: { status: string; error: string | null } | undefined;
    for (let i = 0; i < 100 && !failed; i++) {
      failed = (await runsOf(rep.id)).find((r: { status: string }) => r.status === 'failed');
      if (!failed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed?.error).toMatch(/try again later/);
    const page = (await app.as(mia).get(`/api/v1/reports/${rep.id}`)).json();
    expect(page.lastFailedAt).not.toBeNull();
    expect(page.lastError).toMatch(/try again later/);
    // the job queue retries after its backoff (about 10 s)
    const [run] = await settled(rep.id);
    expect(run.attempts).toBe(2);
    expect(run.recipients).toEqual([{ id: bob.id, name: 'Bob Builder', sent: true }]);
    expect((await app.as(mia).get(`/api/v1/reports/${rep.id}`)).json().lastSentAt).not.toBeNull();
    const trail = await sql<{ action: string }>`SELECT action FROM audit_log WHERE entity_id = ${rep.id}
      AND action LIKE 'kpi_report.sen%' ORDER BY id`.execute(app.database.db);
    expect(trail.rows.map((r) => r.action)).toEqual([
      'kpi_report.send_requested',
      'kpi_report.send_failed',
      'kpi_report.sent',
    ]);
  }, 60_000);
});
