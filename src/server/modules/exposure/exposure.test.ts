import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { discoveryClient } from '../../../../test/support/discovery.js';
import type { AgentReport } from '../../../contracts/index.js';
import { remediate } from './index.js';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

/** A zip of OSV records, made by the zip program from files written here. */
function osvZip(records: Record<string, unknown>[], extra: Record<string, string> = {}): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'osv-'));
  const src = join(dir, 'src');
  mkdirSync(src);
  for (const r of records) writeFileSync(join(src, `${String(r.id)}.json`), JSON.stringify(r));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(src, name), text);
  execFileSync('zip', ['-q', '-r', join(dir, 'all.zip'), '.'], { cwd: src });
  return readFileSync(join(dir, 'all.zip'));
}

const advisory = (id: string, ecosystem: string, name: string, fixed: string, extra = {}) => ({
  id,
  modified: '2026-11-01T00:00:00Z',
  summary: `${name}: remote code execution`,
  aliases: [`CVE-2026-${id.length}`],
  affected: [
    {
      package: { ecosystem, name },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
    },
  ],
  ...extra,
});

function machine(
  uuid: string,
  software: AgentReport['software'],
  os = { id: 'debian', versionId: '12' },
): AgentReport {
  return {
    hostname: `host-${uuid}`,
    system: { manufacturer: 'Steward', model: 'Test', serial: `SER-${uuid}`, uuid, kind: 'server' },
    cpu: { manufacturer: 'x', brand: 'y', cores: 2 },
    memoryBytes: 1024 ** 3,
    disks: [],
    network: [],
    os: { platform: 'linux', distro: 'Debian GNU/Linux', release: '12', kernel: '6.1', arch: 'x64', ...os },
    software,
    peripherals: [],
  };
}

describe('vulnerability exposure: OSV import, matching, remediation, closing by report', () => {
  let app: TestApp;
  const { enrolmentToken, enrol, report } = discoveryClient(() => app);
  const upload = (zip: Buffer, who = app.admin) =>
    app.as(who).post('/api/v1/exposure/imports', zip, { 'content-type': 'application/zip' });
  const count = async (table: 'advisories' | 'exposures') =>
    Number(
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM ${sql.table(table)}`.execute(app.database.db))
        .rows[0]!.n,
    );

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
  });
  afterAll(async () => app.close());

  const openssl = (v: string) => ({ name: 'libssl3', version: v, source: 'openssl', sourceVersion: v });
  let web: { token: string; ciId: string };
  let serviceId: string;

  it('records source packages from reports, then an import exposes the machine and opens a remediation ticket', async () => {
    const { token } = (await enrol(await enrolmentToken(), 'exp-1')).json();
    const r = await report(
      token,
      machine('exp-1', [
        openssl('3.0.11-1~deb12u1'),
        { name: 'bash', version: '5.2.15-2', source: 'bash', sourceVersion: '5.2.15-2' },
      ]),
    );
    expect(r.statusCode).toBe(200);
    web = { token, ciId: r.json().ciId };
    const rows = await app.database.db
      .selectFrom('ci_source_packages')
      .selectAll()
      .where('computer_id', '=', web.ciId)
      .execute();
    expect(rows.map((x) => [x.ecosystem, x.name, x.version]).sort()).toEqual([
      ['Debian:12', 'bash', '5.2.15-2'],
      ['Debian:12', 'openssl', '3.0.11-1~deb12u1'],
    ]);
    // A Rocky machine with the same source name: another ecosystem, another ordering.
    const rocky = (await enrol(await enrolmentToken(), 'exp-2')).json().token;
    await report(
      rocky,
      machine(
        'exp-2',
        [
          {
            name: 'openssl-libs',
            version: '3.0.7-27.el9',
            source: 'openssl',
            sourceVersion: '1:3.0.7-27.el9',
          },
        ],
        { id: 'rocky', versionId: '9.4' },
      ),
    );

    const service = await app
      .as(app.admin)
      .post('/api/v1/cis', { classKey: 'service', name: 'Payroll', custom: {} });
    serviceId = service.json().id;
    expect(
      (
        await app
          .as(app.admin)
          .post(`/api/v1/cis/${serviceId}/relationships`, { type: 'runs_on', toId: web.ciId })
      ).statusCode,
    ).toBe(201);

    const zip = osvZip([
      advisory('DSA-5500-1', 'Debian:12', 'openssl', '3.0.11-1~deb12u2', {
        severity: [{ type: 'CVSS_V3', score: CRITICAL }],
      }),
      advisory('DSA-5400-1', 'Debian:12', 'bash', '5.2.15-1'),
      advisory('RLSA-2026:1', 'Rocky Linux:9', 'openssl', '1:3.0.7-28.el9'),
      advisory('USN-1-1', 'Ubuntu:22.04:LTS', 'openssl', '3.0.2-0ubuntu1.10'),
    ]);
    const imported = await upload(zip);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ files: 4, stored: 4, opened: 2, closed: 0 });

    const list = (await app.as(app.admin).get('/api/v1/exposures')).json();
    expect(
      list.items.map((e: { advisory: { id: string }; computer: { name: string }; severity: string }) => [
        e.advisory.id,
        e.computer.name,
        e.severity,
      ]),
    ).toEqual([
      ['DSA-5500-1', 'host-exp-1', 'critical'],
      ['RLSA-2026:1', 'host-exp-2', 'unknown'],
    ]);
    const first = list.items[0];
    expect(first).toMatchObject({
      package: 'openssl',
      installedVersion: '3.0.11-1~deb12u1',
      fixedVersion: '3.0.11-1~deb12u2',
      advisory: { cvssScore: 9.8 },
    });
    // The SLA clock: critical is due within 7 days.
    expect(Date.parse(first.dueAt) - Date.parse(first.openedAt)).toBeGreaterThan(6.9 * 86_400_000);
    expect(Date.parse(first.dueAt) - Date.parse(first.openedAt)).toBeLessThan(7.1 * 86_400_000);

    const tickets = await app.database.db.selectFrom('exposure_tickets').selectAll().execute();
    expect(tickets).toHaveLength(1);
    const ticket = (await app.as(app.admin).get(`/api/v1/tickets/${tickets[0]!.ticket_id}`)).json();
    expect(ticket.title).toBe('Fix DSA-5500-1 (openssl) for Payroll: 1 computer');
    expect(ticket.description).toContain('host-exp-1: openssl 3.0.11-1~deb12u1 (fixed in 3.0.11-1~deb12u2)');
    // The exposure names its remediation ticket (for the services depending on its computer); a computer no
    // service depends on has none.
    const named = (await app.as(app.admin).get('/api/v1/exposures')).json().items;
    expect(named[0].tickets).toEqual([
      { id: tickets[0]!.ticket_id, key: ticket.key, service: 'Payroll', resolved: false },
    ]);
    expect(named[1].tickets).toEqual([]);

    const services = (await app.as(app.admin).get('/api/v1/exposure/services')).json();
    expect(services.items).toEqual([
      {
        service: { id: serviceId, name: 'Payroll' },
        computers: 1,
        open: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 },
        overdue: 0,
      },
    ]);
    // Importing the same file again stores nothing new and opens nothing twice.
    expect((await upload(zip)).json()).toMatchObject({ stored: 0, unchanged: 4, opened: 0 });
  });

  it('closes the exposure and resolves the ticket when a later report shows the fixed version', async () => {
    const r = await report(
      web.token,
      machine('exp-1', [
        openssl('3.0.11-1~deb12u2'),
        { name: 'bash', version: '5.2.15-2', source: 'bash', sourceVersion: '5.2.15-2' },
      ]),
    );
    expect(r.statusCode).toBe(200);
    const open = (await app.as(app.admin).get(`/api/v1/exposures?computerId=${web.ciId}`)).json();
    expect(open.items).toEqual([]);
    const closed = (
      await app.as(app.admin).get(`/api/v1/exposures?computerId=${web.ciId}&status=closed`)
    ).json();
    expect(closed.items).toMatchObject([
      { advisory: { id: 'DSA-5500-1' }, closedVersion: '3.0.11-1~deb12u2', tickets: [{ resolved: true }] },
    ]);
    const t = await app.database.db.selectFrom('exposure_tickets').selectAll().executeTakeFirstOrThrow();
    expect(t.resolved_at).not.toBeNull();
    expect((await app.as(app.admin).get(`/api/v1/tickets/${t.ticket_id}`)).json().status).toBe('resolved');
    // Going back to the vulnerable version opens a new exposure and a new ticket.
    await report(web.token, machine('exp-1', [openssl('3.0.11-1~deb12u1')]));
    const again = await app.database.db.selectFrom('exposure_tickets').selectAll().executeTakeFirstOrThrow();
    expect(again.ticket_id).not.toBe(t.ticket_id);
    expect(again.resolved_at).toBeNull();
  });

  it('refuses a bad import whole, naming each bad file, and writes nothing', async () => {
    const before = await count('advisories');
    const bad = await upload(
      osvZip([advisory('DSA-9000-1', 'Debian:12', 'curl', '7.88.1-10+deb12u5')], {
        'broken.json': '{"id":',
        'wrong.json': JSON.stringify(advisory('DSA-9001-1', 'Debian:12', 'curl', 'not a version!')),
      }),
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([
      { path: 'broken.json', message: 'not valid JSON' },
      { path: 'wrong.json', message: 'affected.0: not a Debian:12 version: not a version!' },
    ]);
    expect(await count('advisories')).toBe(before);
    expect((await upload(Buffer.from('not a zip'))).statusCode).toBe(422);
    expect((await app.as(app.admin).post('/api/v1/exposure/imports', { a: 1 })).statusCode).toBe(415);
  });

  it('lets CMDB readers list, admins import and set the SLA, and refuses forged cursors', async () => {
    const agent = await app.user('agent');
    const requester = await app.user('requester');
    expect((await app.as(agent).get('/api/v1/exposures?severity=critical')).statusCode).toBe(200);
    expect((await app.as(requester).get('/api/v1/exposures')).statusCode).toBe(404);
    expect((await upload(osvZip([advisory('DSA-1-1', 'Debian:12', 'x', '1')]), agent)).statusCode).toBe(403);
    expect(
      (await app.as(agent).get('/api/v1/exposures?cursor=WzEsIjIwMjYtMTMtMDFUMDA6MDA6MDAuMDAwMDAwWiIsIngiXQ'))
        .statusCode,
    ).toBe(400);
    expect((await app.as(agent).get('/api/v1/exposures?severity=dire')).statusCode).toBe(400);
    const sla = { critical: 3, high: 14, medium: 60, low: 120, unknown: 60 };
    expect((await app.as(agent).put('/api/v1/exposure/sla', sla)).statusCode).toBe(403);
    expect((await app.as(app.admin).put('/api/v1/exposure/sla', sla)).json()).toEqual(sla);
    expect((await app.as(app.admin).put('/api/v1/exposure/sla', { ...sla, critical: 0 })).statusCode).toBe(
      400,
    );
    // Pages: one exposure a page still walks them all.
    const all = (await app.as(agent).get('/api/v1/exposures?limit=200')).json().items.length;
    let cursor: string | null = null;
    let seen = 0;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = (
        await app.as(agent).get(`/api/v1/exposures?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toBe(all);
    expect(all).toBeGreaterThan(1);
  });

  it('opens one ticket per advisory and service however many remediations run at once', async () => {
    const other = await app
      .as(app.admin)
      .post('/api/v1/cis', { classKey: 'service', name: 'Intranet', custom: {} });
    await app
      .as(app.admin)
      .post(`/api/v1/cis/${other.json().id}/relationships`, { type: 'runs_on', toId: web.ciId });
    const runs = await Promise.all(Array.from({ length: 12 }, () => remediate(app.server.ctx)));
    expect(runs.reduce((n, r) => n + r.opened, 0)).toBe(1);
    const mine = await app.database.db
      .selectFrom('exposure_tickets')
      .selectAll()
      .where('service_id', '=', other.json().id)
      .execute();
    expect(mine).toHaveLength(1);
  });
});
