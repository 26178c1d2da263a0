/**
 * "An agent reports only its own machine" (issue 20, items 2, 3 and 9): a report or an enrolment never takes
 * over another machine's item, also when many arrive at once, and a report's additions are bounded.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { discoveryClient } from '../../../../test/support/discovery.js';
import type { AgentReport } from '../../../contracts/index.js';
import { pruneRetiredInstallations } from './prune.service.js';

const machine = (uuid: string, over: Partial<AgentReport> = {}): AgentReport => ({
  hostname: `${uuid}.example.com`,
  system: { manufacturer: 'ACME', model: 'Box', serial: `SN-${uuid}`, uuid, kind: 'desktop' },
  cpu: { manufacturer: 'ACME', brand: 'Fast', cores: 4 },
  memoryBytes: 8 * 1024 ** 3,
  disks: [],
  network: [],
  os: { platform: 'linux', distro: 'Debian', release: '12', kernel: '6.1', arch: 'x64' },
  software: [{ name: 'editor', version: '1.0' }],
  peripherals: [],
  ...over,
});

describe('discovery: an agent reports only its own machine', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
  });
  afterAll(async () => app.close());

  const { enrolmentToken, enrol, report } = discoveryClient(() => app);
  const enrolled = async (uuid: string) => {
    const r = await enrol(await enrolmentToken(), uuid, `${uuid}.example.com`);
    expect(r.statusCode).toBe(201);
    return r.json<{ agentId: string; token: string }>();
  };
  const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(app.database.db)).rows;
  const ci = async (id: string) => (await app.as(app.admin).get(`/api/v1/cis/${id}`)).json();
  const software = async (id: string) =>
    (
      await q<{ name: string }>(sql`SELECT c.name FROM cis c JOIN ci_relationships r ON r.from_id = c.id
        AND r.type = 'installed_on' AND r.to_id = ${id} WHERE c.status = 'deployed' ORDER BY c.name`)
    ).map((r) => r.name);
  const audit = async (action: string) =>
    (await app.as(app.admin).get(`/api/v1/audit?action=${action}&limit=200`)).json().items as {
      actorLabel: string;
      entityId: string;
      after: Record<string, unknown>;
    }[];

  it('refuses a report that claims another agent’s computer by serial number or MAC, and audits it', async () => {
    const victim = await enrolled('victim-1');
    const mac = '02:00:00:00:aa:01';
    const v = (
      await report(
        victim.token,
        machine('victim-1', {
          hostname: 'Finance laptop',
          network: [{ iface: 'eth0', mac, ipv4: [] }],
          software: [{ name: 'ledger', version: '3' }],
        }),
      )
    ).json();
    const before = await ci(v.ciId);
    const thief = await enrolled('thief-1');
    for (const claim of [
      { system: { ...machine('thief-1').system, serial: 'sn-VICTIM-1' } },
      { network: [{ iface: 'wlan0', mac: mac.toUpperCase(), ipv4: [] }] },
    ]) {
      const r = await report(thief.token, machine('thief-1', { hostname: 'evil', ...claim }));
      expect(r.statusCode).toBe(403);
      expect(r.json().detail).toContain('"Finance laptop"');
      expect(r.json().detail).not.toContain(v.ciId);
    }
    // Nothing about the victim changed, and the thief is bound to nothing.
    expect(await ci(v.ciId)).toEqual(before);
    expect(await software(v.ciId)).toEqual(['ledger 3']);
    const [row] = await q<{ ci_id: string | null }>(
      sql`SELECT ci_id FROM agents WHERE id = ${thief.agentId}`,
    );
    expect(row!.ci_id).toBeNull();
    const refused = (await audit('agent.report_refused')).filter((e) => e.entityId === thief.agentId);
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({
      actorLabel: 'agent:thief-1.example.com',
      after: { computer: 'Finance laptop', matchedBy: 'MAC address' },
    });
    // Its own machine, reported honestly, becomes an item of its own.
    const own = await report(thief.token, machine('thief-1'));
    expect(own.statusCode).toBe(200);
    expect(own.json().ciId).not.toBe(v.ciId);
  });

  it('binds by serial only to an item with no agent and no other system UUID', async () => {
    const handEntered = (
      await app
        .as(app.admin)
        .post('/api/v1/cis', { classKey: 'desktop', name: 'Reception PC', serial: 'HE-1' })
    ).json();
    const other = (
      await app.as(app.admin).post('/api/v1/cis', {
        classKey: 'desktop',
        name: 'Lab PC',
        serial: 'HE-2',
        custom: { system_uuid: 'lab-uuid' },
      })
    ).json();
    const a = await enrolled('reception-uuid');
    const bound = (
      await report(
        a.token,
        machine('reception-uuid', {
          system: { ...machine('x').system, uuid: 'reception-uuid', serial: 'HE-1' },
        }),
      )
    ).json();
    expect(bound.ciId).toBe(handEntered.id);
    const b = await enrolled('not-the-lab');
    const r = await report(
      b.token,
      machine('not-the-lab', { system: { ...machine('x').system, uuid: 'not-the-lab', serial: 'HE-2' } }),
    );
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toMatch(/"Lab PC".*system UUID/);
    expect((await ci(other.id)).custom.system_uuid).toBe('lab-uuid');
  });

  it('refuses an enrolment whose system UUID an active agent holds, in any case; after a revoke the machine comes back to its item', async () => {
    const first = await enrolled('0a1b2c3d-aaaa-bbbb-cccc-000000000001');
    const r1 = (
      await report(first.token, machine('0a1b2c3d-aaaa-bbbb-cccc-000000000001', { hostname: 'Design iMac' }))
    ).json();
    const upper = '0A1B2C3D-AAAA-BBBB-CCCC-000000000001';
    const t = await enrolmentToken();
    const refused = await enrol(t, upper, 'intruder');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('"Design iMac"');
    expect((await audit('agent.enrolment_refused')).some((e) => e.after.hostname === 'intruder')).toBe(true);
    // The old agent still reports; an admin revokes it, and the machine (re-installed) enrols again.
    expect((await app.as(app.admin).post(`/api/v1/agents/${first.agentId}/revoke`)).statusCode).toBe(204);
    const again = await enrol(await enrolmentToken(), upper, 'Design iMac');
    expect(again.statusCode).toBe(201);
    const r2 = await report(
      again.json().token,
      machine(upper, { hostname: 'Design iMac', system: { ...machine(upper).system, serial: 'SN-other' } }),
    );
    expect(r2.statusCode).toBe(200);
    // The same item (UUIDs compare case-insensitively), not a duplicate computer.
    expect(r2.json()).toMatchObject({ ciId: r1.ciId, created: false });
  });

  it('lets one of 50 parallel enrolments with the same system UUID through', async () => {
    const t = await enrolmentToken(60);
    const uuid = 'race-enrol-uuid';
    const all = await Promise.all(
      Array.from({ length: 50 }, (_, i) => enrol(t, i % 2 ? uuid.toUpperCase() : uuid, `racer-${i}`)),
    );
    const codes = all.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    const live = await q<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM agents WHERE lower(system_uuid) = ${uuid} AND revoked_at IS NULL`,
    );
    expect(live[0]!.n).toBe(1);
  });

  const race = (prefix: string, serial: string) =>
    Promise.all(Array.from({ length: 50 }, (_, i) => enrolled(`${prefix}-${i}`))).then((agents) =>
      Promise.all(
        agents.map((a, i) =>
          report(
            a.token,
            machine(`${prefix}-${i}`, {
              hostname: `${prefix}-claimer-${i}`,
              system: { ...machine('x').system, uuid: `${prefix}-${i}`, serial },
              software: [{ name: `tool-${i}`, version: '1' }],
            }),
          ),
        ),
      ).then((all) => all.map((r) => r.statusCode)),
    );

  it('binds one of 50 agents reporting the same serial at once, and refuses the others', async () => {
    const item = (
      await app
        .as(app.admin)
        .post('/api/v1/cis', { classKey: 'desktop', name: 'Contested PC', serial: 'RACE-1' })
    ).json();
    const codes = await race('race-a', 'RACE-1');
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 403)).toHaveLength(49);
    const owners = await q<{ id: string }>(sql`SELECT id FROM agents WHERE ci_id = ${item.id}`);
    expect(owners).toHaveLength(1);
    const winner = codes.indexOf(200);
    const after = await ci(item.id);
    expect(after.name).toBe(`race-a-claimer-${winner}`);
    expect(after.custom.system_uuid).toBe(`race-a-${winner}`);
    expect(await software(item.id)).toEqual([`tool-${winner} 1`]);
  });

  it('makes one computer of 50 new agents reporting one unknown serial at once', async () => {
    const codes = await race('race-b', 'RACE-2');
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 403)).toHaveLength(49);
    expect(await q(sql`SELECT id FROM cis WHERE serial = 'RACE-2'`)).toHaveLength(1);
  });

  it('bounds the new software a report may add, writing nothing over the bound', async () => {
    const get = await app.as(app.admin).get('/api/v1/settings/discovery');
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual({ maxNewSoftwarePerReport: 5000, retiredInstallationDays: 180 });
    const put = (body: unknown, etag = get.headers.etag as string) =>
      app.as(app.admin).put('/api/v1/settings/discovery', body, { 'if-match': etag });
    expect((await put({ maxNewSoftwarePerReport: 0, retiredInstallationDays: 180 })).statusCode).toBe(400);
    const agentUser = await app.user('agent');
    expect(
      (
        await app.as(agentUser).put(
          '/api/v1/settings/discovery',
          { maxNewSoftwarePerReport: 3, retiredInstallationDays: 1 },
          {
            'if-match': get.headers.etag as string,
          },
        )
      ).statusCode,
    ).toBe(403);
    expect((await put({ maxNewSoftwarePerReport: 3, retiredInstallationDays: 180 })).statusCode).toBe(200);
    const sw = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({ name: `pkg-${from + i}`, version: '1' }));
    const a = await enrolled('quota-uuid');
    const auditBefore = await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`);
    const over = await report(a.token, machine('quota-uuid', { software: sw(4) }));
    expect(over.statusCode).toBe(413);
    expect(over.json().detail).toMatch(/4 new software.*at most 3/);
    expect(await q(sql`SELECT id FROM cis WHERE name = 'quota-uuid.example.com'`)).toEqual([]);
    expect(await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log`)).toEqual(auditBefore);
    const ok = await report(a.token, machine('quota-uuid', { software: sw(3) }));
    expect(ok.statusCode).toBe(200);
    // Known software does not count against the bound: three kept and three new is fine.
    const more = await report(a.token, machine('quota-uuid', { software: sw(6) }));
    expect(more.json().software).toEqual({ added: 3, removed: 0, kept: 3 });
    await put(
      { maxNewSoftwarePerReport: 5000, retiredInstallationDays: 180 },
      (await app.as(app.admin).get('/api/v1/settings/discovery')).headers.etag,
    );
  });

  it('prunes retired installations older than the setting, in a scheduled job, audited on the computer', async () => {
    expect(app.server.jobSet.types.map((t) => t.name)).toContain('cmdb.prune_installations');
    expect(app.server.jobSet.schedules.map((s) => s.jobName)).toContain('cmdb.prune_installations');
    const a = await enrolled('prune-uuid');
    const sw = ['old-1', 'old-2', 'recent', 'kept'].map((name) => ({ name, version: '1' }));
    const r = (await report(a.token, machine('prune-uuid', { software: sw }))).json();
    await report(a.token, machine('prune-uuid', { software: [{ name: 'kept', version: '1' }] }));
    await sql`UPDATE cis SET updated_at = now() - interval '200 days' WHERE name IN ('old-1 1', 'old-2 1')`.execute(
      app.database.db,
    );
    expect(await pruneRetiredInstallations(app.server.ctx)).toBe(2);
    const left = await q<{ name: string; status: string }>(sql`SELECT c.name, c.status FROM cis c
      JOIN ci_relationships r ON r.from_id = c.id AND r.to_id = ${r.ciId} ORDER BY c.name`);
    expect(left).toEqual([
      { name: 'kept 1', status: 'deployed' },
      { name: 'recent 1', status: 'retired' },
    ]);
    const [entry] = (await audit('ci.software_pruned')).filter((e) => e.entityId === r.ciId);
    expect(entry!.actorLabel).toBe('system');
    expect((entry!.after.pruned as { product: string }[]).map((p) => p.product).sort()).toEqual([
      'old-1',
      'old-2',
    ]);
    expect(await pruneRetiredInstallations(app.server.ctx)).toBe(0);
  });
});
