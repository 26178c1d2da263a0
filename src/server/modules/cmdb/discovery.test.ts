import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';
import { discoveryClient } from '../../../../test/support/discovery.js';
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

  const { enrolmentToken, enrol, report } = discoveryClient(() => app);
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
    // Each change is one entry on the computer, narrowed to this installation in its history.
    expect(
      history.items.map((e: { action: string; entityId: string; after: Record<string, unknown> }) => [
        e.action,
        e.entityId,
        Object.keys(e.after),
      ]),
    ).toEqual([
      ['ci.software_changed', a.ciId, ['reinstalled']],
      ['ci.software_changed', a.ciId, ['removed']],
      ['ci.software_changed', a.ciId, ['added']],
    ]);
    expect(history.items[2].after.added).toEqual([
      { id: editor.rows[0]!.id, product: 'editor', version: '1.0' },
    ]);
    // The computer's own history lists every installation a report changed, in one entry.
    const computer = (await app.as(app.admin).get(`/api/v1/cis/${a.ciId}/history`)).json();
    const changes = computer.items.filter((e: { action: string }) => e.action === 'ci.software_changed');
    expect(changes).toHaveLength(3);
    const names = (l: { product: string; version: string }[]) =>
      l.map((x) => `${x.product} ${x.version}`).sort();
    expect(names(changes[1].after.added)).toEqual(['browser 121']);
    expect(names(changes[1].after.removed)).toEqual(['browser 120', 'editor 1.0']);
    expect(names(changes[2].after.added)).toEqual(['browser 120', 'editor 1.0']);
    // Another computer's software entries are not part of this installation's history.
    const other = (await enrol(await enrolmentToken(), 'synthetic-0002')).json();
    await report(other.token, {
      ...base,
      hostname: 'synthetic2',
      system: { ...base.system, uuid: 'synthetic-0002', serial: 'SYN-2' },
      network: [{ iface: 'eth0', mac: '02:00:00:00:00:02', ipv4: [] }],
    });
    const again = (await app.as(app.admin).get(`/api/v1/cis/${editor.rows[0]!.id}/history`)).json();
    expect(again.items).toHaveLength(3);
    const paged = (await app.as(app.admin).get(`/api/v1/cis/${editor.rows[0]!.id}/history?limit=2`)).json();
    expect(paged.items).toHaveLength(2);
    const rest = (
      await app
        .as(app.admin)
        .get(`/api/v1/cis/${editor.rows[0]!.id}/history?limit=2&cursor=${paged.nextCursor}`)
    ).json();
    expect(rest.items.map((e: { id: string }) => e.id)).toEqual([history.items[2].id]);
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
    // A second agent on a machine with that MAC and a new UUID (say, re-imaged) is refused while the item is
    // the first agent's and has the old UUID: it could as well be another machine claiming it (issue 20).
    const { token: t2 } = (await enrol(await enrolmentToken(), 'new-uuid')).json();
    const reimaged = {
      ...real,
      hostname: 'pc42.example.com',
      system: { ...real.system, uuid: 'new-uuid', serial: '', kind: 'desktop' as const },
      network: [{ iface: 'eth0', mac: '02:00:00:00:00:42', ipv4: [] }],
      software: [],
    };
    expect((await report(t2, reimaged)).statusCode).toBe(403);
    // An admin who knows it is the same machine revokes the old agent and clears the System UUID: it lands there.
    const first = (await app.as(app.admin).get('/api/v1/agents?limit=200'))
      .json()
      .items.find((a: { systemUuid: string }) => a.systemUuid === 'uuid-of-known');
    await app.as(app.admin).post(`/api/v1/agents/${first.id}/revoke`);
    const item = await app.as(app.admin).get(`/api/v1/cis/${known.id}`);
    const { system_uuid: _, ...custom } = item.json().custom;
    const cleared = await app
      .as(app.admin)
      .patch(`/api/v1/cis/${known.id}`, { custom }, { 'if-match': item.headers.etag as string });
    expect(cleared.statusCode).toBe(200);
    const r2 = (await report(t2, reimaged)).json();
    expect(r2.ciId).toBe(known.id);
  });

  it('connects the peripherals it sees, follows one moved to another desk, and disconnects what is gone', async () => {
    const machine = async (uuid: string) =>
      (await enrol(await enrolmentToken(), uuid)).json().token as string;
    const [t1, t2] = [await machine('desk-1'), await machine('desk-2')];
    const base = (uuid: string, serial: string): AgentReport => ({
      ...real,
      hostname: uuid,
      system: { ...real.system, uuid, serial, kind: 'desktop' },
      network: [],
      software: [],
      peripherals: [],
    });
    const keyboard = { type: 'Keyboard', name: 'K120', vendor: 'Logitech', serial: 'KB-777' };
    const monitor = { type: 'monitor', name: 'U2720Q', vendor: 'Dell', serial: '' };
    const hub = { type: 'Hub', name: '2.0 root hub', vendor: 'Linux Foundation', serial: '' };
    const mouse = { type: 'Mouse', name: 'M100', vendor: 'Logitech', serial: '' };
    const d1 = base('desk-1', 'D-1');
    const first = (
      await report(t1, { ...d1, peripherals: [keyboard, monitor, hub, mouse, { ...mouse }] })
    ).json();
    // The hub is not inventory; the mouse listed twice (two interfaces) is one mouse.
    expect(first.peripherals).toEqual({ added: 3, removed: 0, kept: 0 });
    const connected = async (ciId: string) =>
      (await app.as(app.admin).get(`/api/v1/cis/${ciId}/relationships`))
        .json()
        .items.filter((r: { type: string }) => r.type === 'connected_to')
        .map((r: { other: { name: string; classKey: string } }) => `${r.other.classKey}:${r.other.name}`)
        .sort();
    expect(await connected(first.ciId)).toEqual(['keyboard:K120', 'monitor:U2720Q', 'mouse:M100']);
    const again = (
      await report(t1, { ...d1, peripherals: [mouse, monitor, keyboard], hostname: 'd1b' })
    ).json();
    expect(again.peripherals).toEqual({ added: 0, removed: 0, kept: 3 });

    // The keyboard (it has a serial) moves to desk 2: the same item, connected there and no longer here.
    const kb = await sql<{ id: string }>`SELECT id FROM cis WHERE serial = 'KB-777'`.execute(app.database.db);
    expect(kb.rows).toHaveLength(1);
    const second = (await report(t2, { ...base('desk-2', 'D-2'), peripherals: [keyboard] })).json();
    expect(second.peripherals).toEqual({ added: 1, removed: 0, kept: 0 });
    expect(await connected(second.ciId)).toEqual(['keyboard:K120']);
    expect(await connected(first.ciId)).toEqual(['monitor:U2720Q', 'mouse:M100']);
    const moved = (await app.as(app.admin).get(`/api/v1/cis/${kb.rows[0]!.id}/history`)).json();
    expect(moved.items.map((e: { action: string }) => e.action)).toEqual([
      'ci.related',
      'ci.unrelated',
      'ci.related',
      'ci.discovered',
    ]);

    // A printer entered by hand and connected to desk 1 stays; the unplugged mouse is disconnected, not retired.
    const printer = (
      await app.as(app.admin).post('/api/v1/cis', { classKey: 'printer', name: 'Hand-entered printer' })
    ).json();
    await app
      .as(app.admin)
      .post(`/api/v1/cis/${printer.id}/relationships`, { type: 'connected_to', toId: first.ciId });
    const third = (await report(t1, { ...d1, peripherals: [monitor], hostname: 'd1c' })).json();
    expect(third.peripherals).toEqual({ added: 0, removed: 1, kept: 1 });
    expect(await connected(first.ciId)).toEqual(['monitor:U2720Q', 'printer:Hand-entered printer']);
    const m = await sql<{ status: string }>`SELECT status FROM cis WHERE name = 'M100'`.execute(
      app.database.db,
    );
    expect(m.rows).toEqual([{ status: 'deployed' }]);
    // Malformed peripherals are refused whole.
    expect((await report(t1, { ...d1, peripherals: [{ type: 'Mouse' }] })).statusCode).toBe(400);
    expect(
      (await report(t1, { ...d1, peripherals: [{ ...mouse, serial: 'x'.repeat(129) }] })).statusCode,
    ).toBe(400);
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

  it('pages the agents list newest first, ties broken by id, and refuses a foreign cursor', async () => {
    const t = await enrolmentToken(7);
    for (let i = 0; i < 7; i++) expect((await enrol(t, `page-${i}`, `page-${i}`)).statusCode).toBe(201);
    // Five machines enrolled in the same instant (a bulk roll-out), across a page boundary: the id orders them.
    // Then two within one millisecond, apart by microseconds, the first closing page 2: a cursor kept to the
    // millisecond would skip the second.
    await sql`UPDATE agents SET created_at = '2031-01-01T00:00:00Z' WHERE hostname IN
      ('page-0', 'page-1', 'page-2', 'page-4', 'page-6')`.execute(app.database.db);
    await sql`UPDATE agents SET created_at = '2030-06-01T00:00:00.000700Z' WHERE hostname = 'page-3'`.execute(
      app.database.db,
    );
    await sql`UPDATE agents SET created_at = '2030-06-01T00:00:00.000200Z' WHERE hostname = 'page-5'`.execute(
      app.database.db,
    );
    const all = await sql<{ id: string }>`SELECT id FROM agents ORDER BY created_at DESC, id DESC`.execute(
      app.database.db,
    );
    expect(all.rows.length).toBeGreaterThanOrEqual(7);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await app
        .as(app.admin)
        .get(`/api/v1/agents?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.statusCode).toBe(200);
      const body = page.json<{ items: { id: string }[]; nextCursor: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(3);
      seen.push(...body.items.map((a) => a.id));
      cursor = body.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined && pages < 100);
    expect(seen).toEqual(all.rows.map((r) => r.id));
    expect(pages).toBe(Math.ceil(all.rows.length / 3));

    expect((await app.as(app.admin).get('/api/v1/agents?cursor=nope')).statusCode).toBe(400);
    expect((await app.as(app.admin).get('/api/v1/agents?limit=201')).statusCode).toBe(400);
    const requester = await app.user('requester');
    expect((await app.as(requester).get('/api/v1/agents')).statusCode).toBe(404);
  });
});
