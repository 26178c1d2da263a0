import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { collect } from '../../../agent/collect.js';
import type { AgentReport } from '../../../contracts/index.js';

describe('discovery: enrolment, reports, reconciliation', () => {
  let app: TestApp;
  let real: AgentReport;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    // This machine, read for real (hardware, OS, dpkg packages).
    real = await collect();
  });
  afterAll(async () => app.close());

  const enrolmentToken = async (uses = 1) =>
    (await app.as(app.admin).post('/api/v1/agents/enrolment-tokens', { uses, note: 'test' })).json()
      .token as string;
  const enrol = (token: string, systemUuid: string, hostname = 'host') =>
    app.anonymous.post('/api/v1/agents/enrol', { enrolmentToken: token, hostname, systemUuid });
  const report = (token: string, body: unknown) =>
    app.anonymous.post('/api/v1/agents/report', body, { authorization: `Bearer ${token}` });
  const auditCount = async () =>
    Number(
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_log`.execute(app.database.db)).rows[0]!
        .n,
    );

  it('enrols a device with a one-time token, and only admins make tokens', async () => {
    const agent = await app.user('agent');
    expect((await app.as(agent).post('/api/v1/agents/enrolment-tokens', {})).statusCode).toBe(403);
    const t = await enrolmentToken(1);
    expect((await enrol('stw_enrol_wrong', 'u-1')).statusCode).toBe(401);
    const ok = await enrol(t, 'u-1');
    expect(ok.statusCode).toBe(201);
    expect(ok.json().token).toMatch(/^stw_agent_/);
    expect((await enrol(t, 'u-2')).statusCode).toBe(401);
  });

  it('turns this machine’s real inventory into a computer with its software, and an identical report changes nothing', async () => {
    expect(real.software.length).toBeGreaterThan(50);
    const { token } = (await enrol(await enrolmentToken(), real.system.uuid, real.hostname)).json();
    const first = await report(token, real);
    expect(first.statusCode).toBe(200);
    const r1 = first.json();
    expect(r1).toMatchObject({ unchanged: false, created: true, software: { removed: 0, kept: 0 } });
    const unique = new Set(real.software.map((s) => `${s.name.toLowerCase()}\0${s.version}`)).size;
    expect(r1.software.added).toBe(unique);
    const ci = (await app.as(app.admin).get(`/api/v1/cis/${r1.ciId}`)).json();
    expect(ci).toMatchObject({
      name: real.hostname,
      status: 'deployed',
      custom: { system_uuid: real.system.uuid },
    });
    expect(ci.custom.memory_mb).toBeGreaterThan(0);
    const installs = (
      await app.as(app.admin).get(`/api/v1/cis/${r1.ciId}/impact?direction=dependents&depth=1`)
    ).json();
    expect(installs.nodes.length).toBe(unique + 1);

    const before = await auditCount();
    const again = (await report(token, real)).json();
    expect(again).toMatchObject({ ciId: r1.ciId, unchanged: true });
    expect(await auditCount()).toBe(before);
  });

  it('adds, retires and brings back installations, keeping their history', async () => {
    const uuid = 'synthetic-0001';
    const { token } = (await enrol(await enrolmentToken(), uuid)).json();
    const base: AgentReport = {
      ...real,
      hostname: 'synthetic',
      system: { ...real.system, uuid, serial: 'SYN-1', kind: 'laptop' },
      network: [{ iface: 'eth0', mac: '02:00:00:00:00:01', ipv4: ['10.0.0.5'] }],
      software: [
        { name: 'editor', version: '1.0' },
        { name: 'browser', version: '120' },
        { name: 'browser', version: '120' },
      ],
    };
    const a = (await report(token, base)).json();
    expect(a.software).toEqual({ added: 2, removed: 0, kept: 0 });
    const b = (await report(token, { ...base, software: [{ name: 'browser', version: '121' }] })).json();
    expect(b.software).toEqual({ added: 1, removed: 2, kept: 0 });
    const c = (
      await report(token, {
        ...base,
        software: [
          { name: 'editor', version: '1.0' },
          { name: 'browser', version: '121' },
        ],
      })
    ).json();
    expect(c.software).toEqual({ added: 1, removed: 0, kept: 1 });
    const rows = await sql<{ name: string; status: string }>`SELECT c.name, c.status FROM cis c
      JOIN ci_relationships r ON r.from_id = c.id AND r.type = 'installed_on' AND r.to_id = ${a.ciId}
      ORDER BY c.name`.execute(app.database.db);
    expect(rows.rows).toEqual([
      { name: 'browser 120', status: 'retired' },
      { name: 'browser 121', status: 'deployed' },
      { name: 'editor 1.0', status: 'deployed' },
    ]);
    const editor = await sql<{ id: string }>`SELECT id FROM cis WHERE name = 'editor 1.0'`.execute(
      app.database.db,
    );
    const history = (await app.as(app.admin).get(`/api/v1/cis/${editor.rows[0]!.id}/history`)).json();
    expect(
      history.items.map((e: { after: { status?: string } | null }) => e.after?.status ?? 'discovered'),
    ).toEqual(['deployed', 'retired', 'discovered']);
  });

  it('matches a machine already in the inventory by serial or MAC, never making a duplicate', async () => {
    const known = (
      await app
        .as(app.admin)
        .post('/api/v1/cis', { classKey: 'desktop', name: 'Old name', serial: 'KNOWN-42', assetTag: 'PC-42' })
    ).json();
    const { token } = (await enrol(await enrolmentToken(), 'uuid-of-known')).json();
    const r = (
      await report(token, {
        ...real,
        hostname: 'pc42.example.com',
        system: { ...real.system, uuid: 'uuid-of-known', serial: 'known-42', kind: 'desktop' },
        network: [{ iface: 'eth0', mac: '02:00:00:00:00:42', ipv4: [] }],
        software: [],
      })
    ).json();
    expect(r).toMatchObject({ ciId: known.id, created: false });
    const ci = (await app.as(app.admin).get(`/api/v1/cis/${known.id}`)).json();
    expect(ci).toMatchObject({
      name: 'pc42.example.com',
      assetTag: 'PC-42',
      custom: { macs: '02:00:00:00:00:42' },
    });
    // A second agent on a machine with that MAC (say, re-imaged with a new UUID) lands on the same item.
    const { token: t2 } = (await enrol(await enrolmentToken(), 'new-uuid')).json();
    const r2 = (
      await report(t2, {
        ...real,
        hostname: 'pc42.example.com',
        system: { ...real.system, uuid: 'new-uuid', serial: '', kind: 'desktop' },
        network: [{ iface: 'eth0', mac: '02:00:00:00:00:42', ipv4: [] }],
        software: [],
      })
    ).json();
    expect(r2.ciId).toBe(known.id);
  });

  it('refuses reports about another machine, from revoked or unknown agents, and malformed ones', async () => {
    const { token, agentId } = (await enrol(await enrolmentToken(), 'mine')).json();
    const other = { ...real, system: { ...real.system, uuid: 'someone-else' }, software: [] };
    expect((await report(token, other)).statusCode).toBe(403);
    expect((await report(token, { ...real, software: [], extra: 1 })).statusCode).toBe(400);
    expect((await report(token, { ...real, software: 'lots' })).statusCode).toBe(400);
    expect(
      (await report('stw_agent_' + 'x'.repeat(43), { ...real, system: { ...real.system, uuid: 'mine' } }))
        .statusCode,
    ).toBe(401);
    expect((await report('not a token', real)).statusCode).toBe(401);
    expect((await app.as(app.admin).post(`/api/v1/agents/${agentId}/revoke`)).statusCode).toBe(204);
    const mine = { ...real, system: { ...real.system, uuid: 'mine' }, software: [] };
    expect((await report(token, mine)).statusCode).toBe(401);
    const agents = (await app.as(app.admin).get('/api/v1/agents')).json();
    expect(agents.items.find((a: { id: string }) => a.id === agentId).revokedAt).not.toBeNull();
  });
});
