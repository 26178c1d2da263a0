import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { sendExpiryReminders } from './index.js';

describe('CMDB: classes, items, relationships, impact', () => {
  let app: TestApp;
  let agent: TestUser;
  let requester: TestUser;

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [agent, requester] = await Promise.all([app.user('agent'), app.user('requester')]);
  });
  afterAll(async () => app.close());

  const ci = async (body: Record<string, unknown>) => {
    const r = await app.as(agent).post('/api/v1/cis', body);
    if (r.statusCode !== 201) throw new Error(`${r.statusCode} ${r.body}`);
    return r.json<{ id: string; version: number; name: string }>();
  };
  const relate = (from: string, type: string, to: string) =>
    app.as(agent).post(`/api/v1/cis/${from}/relationships`, { type, toId: to });

  it('ships the built-in classes and lets admins add classes with typed fields', async () => {
    const list = (await app.as(agent).get('/api/v1/ci-classes')).json();
    expect(list.items.map((c: { key: string }) => c.key)).toEqual(
      expect.arrayContaining([
        'laptop',
        'server',
        'printer',
        'licence',
        'software_installation',
        'credential',
      ]),
    );
    expect(
      (await app.as(agent).post('/api/v1/ci-classes', { key: 'ups', name: 'UPS', kind: 'storage' }))
        .statusCode,
    ).toBe(403);
    const bad = await app.as(app.admin).post('/api/v1/ci-classes', {
      key: 'ups',
      name: 'UPS',
      kind: 'network',
      fields: [{ key: 'va', label: 'VA', type: 'enum' }],
    });
    expect(bad.statusCode).toBe(400);
    const ups = await app.as(app.admin).post('/api/v1/ci-classes', {
      key: 'ups',
      name: 'UPS',
      kind: 'network',
      fields: [
        { key: 'va', label: 'Capacity (VA)', type: 'number', required: true },
        { key: 'battery_due', label: 'Battery due', type: 'date' },
        { key: 'phase', label: 'Phase', type: 'enum', options: ['single', 'three'] },
      ],
    });
    expect(ups.statusCode).toBe(201);
    expect(
      (await app.as(app.admin).post('/api/v1/ci-classes', { key: 'ups', name: 'Other', kind: 'network' }))
        .statusCode,
    ).toBe(409);
    expect((await app.as(app.admin).delete('/api/v1/ci-classes/laptop')).statusCode).toBe(400);
  });

  it('validates custom fields against the class, and keeps every change in the item’s history', async () => {
    const missing = await app
      .as(agent)
      .post('/api/v1/cis', { classKey: 'ups', name: 'UPS rack 1', custom: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toContainEqual({ path: 'body.custom.va', message: 'required' });
    const wrong = await app.as(agent).post('/api/v1/cis', {
      classKey: 'ups',
      name: 'UPS rack 1',
      custom: { va: 'lots', phase: 'four', extra: 1, battery_due: '2026-13-45' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(
      wrong
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['body.custom.battery_due', 'body.custom.extra', 'body.custom.phase', 'body.custom.va']);
    const u = await ci({
      classKey: 'ups',
      name: 'UPS rack 1',
      assetTag: 'A-0001',
      cost: '1299.50',
      custom: { va: 3000, phase: 'single' },
    });
    expect(u).toMatchObject({ status: 'in_stock', cost: '1299.50', custom: { va: 3000, phase: 'single' } });
    const dupTag = await app
      .as(agent)
      .post('/api/v1/cis', { classKey: 'laptop', name: 'x', assetTag: 'a-0001' });
    expect(dupTag.statusCode).toBe(409);
    expect((await app.as(agent).patch(`/api/v1/cis/${u.id}`, { status: 'deployed' })).statusCode).toBe(428);
    expect(
      (await app.as(agent).patch(`/api/v1/cis/${u.id}`, { status: 'deployed' }, { 'if-match': '"v9"' }))
        .statusCode,
    ).toBe(412);
    const moved = await app
      .as(agent)
      .patch(`/api/v1/cis/${u.id}`, { status: 'deployed' }, { 'if-match': '"v1"' });
    expect(moved.json()).toMatchObject({ status: 'deployed', version: 2 });
    const history = (await app.as(agent).get(`/api/v1/cis/${u.id}/history`)).json();
    expect(history.items.map((e: { action: string }) => e.action)).toEqual(['ci.updated', 'ci.created']);
    expect(history.items[0]).toMatchObject({ before: { status: 'in_stock' }, after: { status: 'deployed' } });
    // Deleting is for the end of an item's life.
    expect((await app.as(agent).delete(`/api/v1/cis/${u.id}`)).statusCode).toBe(409);
    const unknown = await app
      .as(agent)
      .patch(`/api/v1/cis/${u.id}`, { status: 'lost' }, { 'if-match': '"v2"' });
    expect(unknown.statusCode).toBe(400);
    const retired = await app
      .as(agent)
      .patch(`/api/v1/cis/${u.id}`, { status: 'retired' }, { 'if-match': '"v2"' });
    expect(retired.json()).toMatchObject({ status: 'retired', version: 3 });
    expect((await app.as(agent).delete(`/api/v1/cis/${u.id}`)).statusCode).toBe(204);
    expect((await app.as(agent).get(`/api/v1/cis/${u.id}`)).statusCode).toBe(404);
    // A location that still holds items stays, even retired.
    const room = await ci({ classKey: 'location', name: 'Room 101', status: 'retired' });
    await ci({ classKey: 'dock', name: 'Dock in 101', locationId: room.id });
    const held = await app.as(agent).delete(`/api/v1/cis/${room.id}`);
    expect(held.statusCode).toBe(409);
    expect(held.json().code).toBe('ci_in_use');
  });

  it('gives items and relationships time-ordered ids (UUID version 7)', async () => {
    const t0 = Date.now();
    const a = await ci({ classKey: 'server', name: 'uuid7 a' });
    const b = await ci({ classKey: 'server', name: 'uuid7 b' });
    const rel = (await relate(a.id, 'depends_on', b.id)).json<{ id: string }>();
    for (const id of [a.id, b.id, rel.id]) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(t0 - 5_000);
      expect(ms).toBeLessThanOrEqual(Date.now() + 5_000);
    }
  });

  it('keeps requesters to their own items, and out of the rest', async () => {
    const mine = await ci({
      classKey: 'laptop',
      name: 'Rita’s laptop',
      ownerId: requester.id,
      status: 'deployed',
    });
    await ci({ classKey: 'laptop', name: 'Someone else’s laptop' });
    const r = (await app.as(requester).get('/api/v1/cis/mine')).json();
    expect(r.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    // Everything else of the CMDB is 404 for a requester, their own items included: they are not told
    // what it holds.
    const as = app.as(requester);
    const answers = await Promise.all([
      as.get('/api/v1/cis'),
      as.get(`/api/v1/cis/${mine.id}`),
      as.get(`/api/v1/cis/${mine.id}/history`),
      as.get(`/api/v1/cis/${mine.id}/relationships`),
      as.get(`/api/v1/cis/${mine.id}/impact`),
      as.get(`/api/v1/cis/${mine.id}/tickets`),
      as.get('/api/v1/cis/export.csv'),
      as.get('/api/v1/ci-classes'),
      as.get('/api/v1/ci-classes/laptop'),
      as.get('/api/v1/licences/compliance'),
      as.post('/api/v1/cis', { classKey: 'laptop', name: 'x' }),
      as.patch(`/api/v1/cis/${mine.id}`, { name: 'x' }, { 'if-match': '"v1"' }),
      as.delete(`/api/v1/cis/${mine.id}`),
      as.post(`/api/v1/cis/${mine.id}/relationships`, { type: 'connected_to', toId: mine.id }),
      as.post('/api/v1/ci-classes', { key: 'ups2', name: 'UPS 2', kind: 'network' }),
      as.req('POST', '/api/v1/cis/import?dryRun=true', 'class,name\nlaptop,x\n', {
        'content-type': 'text/csv',
      }),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual(answers.map(() => 404));
    // An agent reads the CMDB, so is told plainly that editing classes is for admins.
    expect((await app.as(agent).delete('/api/v1/ci-classes/laptop')).statusCode).toBe(403);
    expect((await app.as(agent).get(`/api/v1/cis/${mine.id}`)).json()).toMatchObject({
      name: 'Rita’s laptop',
    });
  });

  it('allows only relationships that make sense between the kinds of item', async () => {
    const laptop = await ci({ classKey: 'laptop', name: 'Laptop L1' });
    const office = await ci({
      classKey: 'software_installation',
      name: 'Office on L1',
      custom: { product: 'Office', version: '16' },
    });
    const printer = await ci({ classKey: 'printer', name: 'Printer P1' });
    expect((await relate(office.id, 'installed_on', laptop.id)).statusCode).toBe(201);
    expect((await relate(office.id, 'installed_on', laptop.id)).statusCode).toBe(409);
    const wrongWay = await relate(laptop.id, 'installed_on', office.id);
    expect(wrongWay.statusCode).toBe(400);
    expect(wrongWay.json().errors[0].path).toBe('body.type');
    expect((await relate(office.id, 'installed_on', printer.id)).statusCode).toBe(400);
    expect((await relate(laptop.id, 'connected_to', laptop.id)).statusCode).toBe(400);
    expect((await relate(laptop.id, 'connected_to', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      400,
    );
    const rels = (await app.as(agent).get(`/api/v1/cis/${laptop.id}/relationships`)).json();
    expect(rels.items).toEqual([
      expect.objectContaining({
        type: 'installed_on',
        fromId: office.id,
        toId: laptop.id,
        other: expect.objectContaining({ name: 'Office on L1' }),
      }),
    ]);
    const rel = rels.items[0].id;
    expect((await app.as(agent).delete(`/api/v1/cis/${printer.id}/relationships/${rel}`)).statusCode).toBe(
      404,
    );
    expect((await app.as(agent).delete(`/api/v1/cis/${laptop.id}/relationships/${rel}`)).statusCode).toBe(
      204,
    );
    const history = (await app.as(agent).get(`/api/v1/cis/${office.id}/history`)).json();
    expect(history.items.map((e: { action: string }) => e.action)).toEqual([
      'ci.unrelated',
      'ci.related',
      'ci.created',
    ]);
  });

  it('walks the impact of a failure to a depth, through cycles', async () => {
    // mail service runs on vm1, which runs on host1; web depends on mail; backup backs up vm1;
    // a cycle: host1 depends on san, san depends on host1 (replication).
    const host = await ci({ classKey: 'server', name: 'host1' });
    const san = await ci({ classKey: 'storage_device', name: 'san' });
    const vm = await ci({ classKey: 'virtual_machine', name: 'vm1' });
    const mailSvc = await ci({ classKey: 'service', name: 'Mail' });
    const web = await ci({ classKey: 'service', name: 'Web shop' });
    const backup = await ci({ classKey: 'storage_device', name: 'backup box' });
    for (const [f, t, to] of [
      [vm, 'runs_on', host],
      [mailSvc, 'runs_on', vm],
      [web, 'depends_on', mailSvc],
      [backup, 'backs_up', vm],
      [host, 'depends_on', san],
      [san, 'depends_on', host],
    ] as const) {
      expect((await relate(f.id, t, to.id)).statusCode).toBe(201);
    }
    const impact = async (id: string, query: string) =>
      (await app.as(agent).get(`/api/v1/cis/${id}/impact?${query}`)).json();
    const all = await impact(host.id, 'direction=dependents&depth=5');
    const depth = Object.fromEntries(
      all.nodes.map((n: { name: string; depth: number }) => [n.name, n.depth]),
    );
    expect(depth).toEqual({ host1: 0, vm1: 1, san: 1, Mail: 2, 'backup box': 2, 'Web shop': 3 });
    expect(all.truncated).toBe(false);
    expect(all.edges).toContainEqual({ fromId: web.id, type: 'depends_on', toId: mailSvc.id });
    const near = await impact(host.id, 'direction=dependents&depth=1');
    expect(near.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['host1', 'san', 'vm1']);
    const needs = await impact(web.id, 'direction=dependencies&depth=10');
    expect(needs.nodes.map((n: { name: string }) => n.name)).toEqual([
      'Web shop',
      'Mail',
      'vm1',
      'host1',
      'san',
    ]);
    // `downstream` and `upstream` are other names for the two directions; `both` walks each.
    const down = await impact(host.id, 'direction=downstream&depth=5');
    expect(down.nodes).toEqual(all.nodes);
    const up = await impact(web.id, 'direction=upstream&depth=10');
    expect(up.nodes.map((n: { name: string }) => n.name)).toEqual(
      needs.nodes.map((n: { name: string }) => n.name),
    );
    const around = await impact(vm.id, 'direction=both&depth=1');
    expect(around.nodes.map((n: { name: string }) => n.name).sort()).toEqual([
      'Mail',
      'backup box',
      'host1',
      'vm1',
    ]);
    expect(around.edges).toHaveLength(3);
    for (const d of ['0', '11', 'x']) {
      expect((await app.as(agent).get(`/api/v1/cis/${host.id}/impact?depth=${d}`)).statusCode).toBe(400);
    }
    expect((await app.as(agent).get(`/api/v1/cis/${host.id}/impact?direction=sideways`)).statusCode).toBe(
      400,
    );
    expect(
      (await app.as(agent).get('/api/v1/cis/00000000-0000-4000-8000-000000000000/impact')).statusCode,
    ).toBe(404);
  });

  it('stops an impact walk at 5,000 items and says so, keeping only edges between them; pages relationships', async () => {
    // Written with SQL: 6,000 virtual machines run on one host, and each of the first 100 has a service on it.
    const db = app.database.db;
    const host = await ci({ classKey: 'server', name: 'big host' });
    await sql`INSERT INTO cis (class_key, name, status)
      SELECT 'virtual_machine', 'vm ' || lpad(g::text, 5, '0'), 'deployed' FROM generate_series(1, 6000) g`.execute(
      db,
    );
    await sql`INSERT INTO ci_relationships (from_id, type, to_id)
      SELECT id, 'runs_on', ${host.id}::uuid FROM cis WHERE name LIKE 'vm _____'`.execute(db);
    await sql`INSERT INTO cis (class_key, name, status)
      SELECT 'service', 'svc ' || lpad(g::text, 5, '0'), 'deployed' FROM generate_series(1, 100) g`.execute(
      db,
    );
    await sql`INSERT INTO ci_relationships (from_id, type, to_id)
      SELECT s.id, 'runs_on', v.id FROM cis s JOIN cis v ON v.name = 'vm ' || substr(s.name, 5)
      WHERE s.name LIKE 'svc _____'`.execute(db);
    type Answer = {
      nodes: { id: string; name: string; depth: number }[];
      edges: { fromId: string; toId: string }[];
      truncated: boolean;
    };
    const walk = async (q: string) => {
      const r = await app.as(agent).get(`/api/v1/cis/${host.id}/impact?${q}`);
      expect(r.statusCode).toBe(200);
      return r.json<Answer>();
    };
    const full = await walk('direction=dependents&depth=5');
    expect(full.truncated).toBe(true);
    expect(full.nodes).toHaveLength(5000);
    expect(full.nodes[0]).toMatchObject({ id: host.id, depth: 0 });
    expect(new Set(full.nodes.map((n) => n.id)).size).toBe(5000);
    const kept = new Set(full.nodes.map((n) => n.id));
    expect(full.edges.length).toBeGreaterThanOrEqual(4999);
    for (const e of full.edges) expect(kept.has(e.fromId) && kept.has(e.toId)).toBe(true);
    // Nodes are ordered by depth, then by name.
    const order = full.nodes.map((n) => `${n.depth}|${n.name}`);
    expect(order).toEqual([...order].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' })));
    // The host's relationship list pages through all 6,000, in order, none twice.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/cis/${host.id}/relationships?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: { id: string; other: { name: string } }[]; nextCursor: string | null } = (
        await app.as(agent).get(url)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(200);
      seen.push(...page.items.map((r) => r.other.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6000);
    expect(seen).toEqual([...seen].sort());
    const bad = await app.as(agent).get(`/api/v1/cis/${host.id}/relationships?cursor=nonsense`);
    expect(bad.statusCode).toBe(400);
    expect((await app.as(agent).get(`/api/v1/cis/${host.id}/relationships?limit=201`)).statusCode).toBe(400);
    // One step that finds more than the limit is cut too.
    const near = await walk('direction=both&depth=1');
    expect(near.truncated).toBe(true);
    expect(near.nodes).toHaveLength(5000);
  });

  it('filters and pages the item list by name', async () => {
    for (let i = 0; i < 5; i++)
      await ci({
        classKey: 'monitor',
        name: `Monitor ${i}`,
        status: i % 2 ? 'deployed' : 'in_stock',
        warrantyEnd: `2027-0${i + 1}-01`,
      });
    const first = (await app.as(agent).get('/api/v1/cis?classKey=monitor&limit=2')).json();
    const second = (
      await app.as(agent).get(`/api/v1/cis?classKey=monitor&limit=10&cursor=${first.nextCursor}`)
    ).json();
    expect([...first.items, ...second.items].map((c: { name: string }) => c.name)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `Monitor ${i}`),
    );
    const deployed = (await app.as(agent).get('/api/v1/cis?classKey=monitor&status=deployed')).json();
    expect(deployed.items.map((c: { name: string }) => c.name)).toEqual(['Monitor 1', 'Monitor 3']);
    const soon = (await app.as(agent).get('/api/v1/cis?kind=peripheral&warrantyBefore=2027-03-01')).json();
    expect(soon.items.map((c: { name: string }) => c.name)).toEqual(['Monitor 0', 'Monitor 1']);
    const names = async (query: string) =>
      (await app.as(agent).get(`/api/v1/cis?${query}`)).json().items.map((c: { name: string }) => c.name);
    expect(await names('q=onitor 3')).toEqual(['Monitor 3']);
    // Short terms (no trigram to look up) still match any part of a name.
    expect(await names('q=3&classKey=monitor')).toEqual(['Monitor 3']);
    // A search pages like the list, and combines with the filters.
    const p1 = (await app.as(agent).get('/api/v1/cis?q=monitor&limit=2')).json();
    const p2 = (await app.as(agent).get(`/api/v1/cis?q=monitor&limit=10&cursor=${p1.nextCursor}`)).json();
    expect([...p1.items, ...p2.items].map((c: { name: string }) => c.name)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `Monitor ${i}`),
    );
    expect(await names('q=monitor&status=deployed')).toEqual(['Monitor 1', 'Monitor 3']);
    // Asset tags and serials match exactly (any case); LIKE's wildcards are plain characters.
    await ci({ classKey: 'monitor', name: 'Tagged screen', assetTag: 'MON-777', serial: 'SER-123456' });
    expect(await names('q=mon-777')).toEqual(['Tagged screen']);
    expect(await names('q=SER-123456')).toEqual(['Tagged screen']);
    expect(await names('q=SER-123')).toEqual([]);
    expect(await names('q=' + encodeURIComponent('%'))).toEqual([]);
    expect(await names('q=' + encodeURIComponent('Mon_tor'))).toEqual([]);
  });
  it('links tickets to items: a requester names their own devices, an item lists its open tickets, rules route by item', async () => {
    const laptop = await ci({
      classKey: 'laptop',
      name: 'Rita’s work laptop',
      ownerId: requester.id,
      status: 'deployed',
    });
    const server = await ci({ classKey: 'server', name: 'Payroll server' });
    const team = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Infra', memberIds: [agent.id] })
    ).json();
    const rule = await app.as(app.admin).post('/api/v1/routing-rules', {
      name: 'Payroll server to Infra',
      conditions: [{ field: 'asset', in: [server.id] }],
      actions: { setTeam: team.id },
    });
    expect(rule.statusCode).toBe(201);
    // A requester may not name someone else's item.
    const notMine = await app
      .as(requester)
      .post('/api/v1/tickets', { type: 'incident', title: 'Broken', ciIds: [server.id] });
    expect(notMine.statusCode).toBe(400);
    expect(notMine.json().errors[0].path).toBe('body.ciIds');
    const t = (
      await app
        .as(requester)
        .post('/api/v1/tickets', { type: 'incident', title: 'Screen dead', ciIds: [laptop.id] })
    ).json();
    expect((await app.as(requester).get(`/api/v1/tickets/${t.id}/cis`)).json().items).toEqual([
      expect.objectContaining({ id: laptop.id, name: 'Rita’s work laptop' }),
    ]);
    const open = (await app.as(agent).get(`/api/v1/cis/${laptop.id}/tickets?open=true`)).json();
    expect(open.items.map((x: { id: string }) => x.id)).toEqual([t.id]);
    // An agent's ticket about the server is routed by the asset rule.
    const s = (
      await app
        .as(agent)
        .post('/api/v1/tickets', { type: 'incident', title: 'Payroll slow', ciIds: [server.id] })
    ).json();
    expect(s.teamId).toBe(team.id);
    // Linking and unlinking by hand (agents), audited on the ticket.
    const other = await app.as(agent).post('/api/v1/tickets', { type: 'incident', title: 'Another' });
    const oid = other.json().id;
    expect((await app.as(agent).post(`/api/v1/tickets/${oid}/cis`, { ciId: server.id })).statusCode).toBe(
      204,
    );
    expect((await app.as(agent).post(`/api/v1/tickets/${oid}/cis`, { ciId: server.id })).statusCode).toBe(
      409,
    );
    expect(
      (await app.as(requester).post(`/api/v1/tickets/${t.id}/cis`, { ciId: laptop.id })).statusCode,
    ).toBe(404); // the CMDB is not the requester's to see: 404 by can()'s rule
    expect((await app.as(agent).delete(`/api/v1/tickets/${oid}/cis/${server.id}`)).statusCode).toBe(204);
    expect((await app.as(agent).delete(`/api/v1/tickets/${oid}/cis/${server.id}`)).statusCode).toBe(404);
    // Someone else's ticket stays hidden from a requester, with its items.
    expect((await app.as(requester).get(`/api/v1/tickets/${s.id}/cis`)).statusCode).toBe(404);
  });
  it('reports licence compliance: seats against installations found, and what no licence covers', async () => {
    const badRange = await app.as(agent).post('/api/v1/cis', {
      classKey: 'licence',
      name: 'Bad',
      custom: { product: 'Visio', versions: 'latest', seats: 1 },
    });
    expect(badRange.statusCode).toBe(400);
    expect(badRange.json().errors[0].path).toBe('body.custom.versions');
    await ci({
      classKey: 'licence',
      name: 'Office 16 (5 seats)',
      custom: { product: 'Office', versions: '16', seats: 5 },
    });
    await ci({
      classKey: 'licence',
      name: 'Photo 2.x (1 seat)',
      custom: { product: 'PhotoTool', versions: '2.x', seats: 1 },
    });
    const install = (product: string, version: string, status = 'deployed') =>
      ci({
        classKey: 'software_installation',
        name: `${product} ${version}`,
        status,
        custom: { product, version },
      });
    for (let i = 0; i < 3; i++) await install('Office', `16.0.${i}`);
    await install('Office', '15.0');
    await install('office', '16.1', 'retired');
    await install('PhotoTool', '2.1');
    await install('PhotoTool', '2.5');
    await install('Zipper', '9');
    const report = (await app.as(agent).get('/api/v1/licences/compliance')).json();
    const by = Object.fromEntries(report.licences.map((l: { name: string }) => [l.name, l]));
    expect(by['Office 16 (5 seats)']).toMatchObject({
      seats: 5,
      installed: 4,
      state: 'under',
      difference: -1,
    });
    expect(by['Photo 2.x (1 seat)']).toMatchObject({ seats: 1, installed: 2, state: 'over', difference: 1 });
    expect(report.unlicensed).toEqual([
      { product: 'office', installed: 1, versions: [{ version: '15.0', installed: 1 }] },
      { product: 'zipper', installed: 1, versions: [{ version: '9', installed: 1 }] },
    ]);
  });
  it('reminds owners and teams of warranties and contracts ending within 30 days, once per date', async () => {
    // A day of its own, years from the dates other tests give their items (those must not fall in the window).
    const today = new Date('2031-06-15T07:00:00Z');
    const inDays = (n: number) => new Date(today.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    await ci({ classKey: 'laptop', name: 'Warranty soon', ownerId: agent.id, warrantyEnd: inDays(10) });
    await ci({ classKey: 'laptop', name: 'Warranty later', ownerId: agent.id, warrantyEnd: inDays(45) });
    await ci({ classKey: 'contract', name: 'Support contract', custom: { ends: inDays(20) } });
    const ctx = app.server.ctx;
    expect(await sendExpiryReminders(ctx, today)).toBe(2);
    expect(await sendExpiryReminders(ctx, today)).toBe(0);
    const mine = (await app.as(agent).get('/api/v1/notifications')).json();
    expect(
      mine.items
        .filter((n: { event: string }) => n.event === 'reminder')
        .map((n: { title: string }) => n.title),
    ).toEqual([`Reminder: The warranty end of Warranty soon on ${inDays(10)}`]);
    // Nobody owns the contract: the admins hear of it.
    const admin = (await app.as(app.admin).get('/api/v1/notifications')).json();
    expect(admin.items.map((n: { title: string }) => n.title)).toContain(
      `Reminder: The contract end of Support contract on ${inDays(20)}`,
    );
  });

  it('keeps the inventory readable: services start deployed, installations stay out of the default list, a computer pages its software', async () => {
    const admin = app.as(app.admin);
    const make = async (body: Record<string, unknown>) => {
      const r = await admin.post('/api/v1/cis', body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json<{ id: string; status: string; name: string }>();
    };
    expect((await make({ classKey: 'service', name: 'Payroll service' })).status).toBe('deployed');
    const pc = await make({ classKey: 'laptop', name: 'Readable PC' });
    expect(pc.status).toBe('in_stock');
    expect((await make({ classKey: 'service', name: 'Old service', status: 'retired' })).status).toBe(
      'retired',
    );
    const names = ['Alpha Tool', 'Beta Tool', 'Gamma Viewer', 'Delta Tool', 'Epsilon Tool'];
    for (const name of names) {
      const sw = await make({
        classKey: 'software_installation',
        name: `Readable ${name}`,
        custom: { product: name },
      });
      expect(sw.status).toBe('deployed');
      const rel = await admin.post(`/api/v1/cis/${sw.id}/relationships`, {
        type: 'installed_on',
        toId: pc.id,
      });
      expect(rel.statusCode, rel.body).toBe(201);
    }
    const list = async (qs: string) =>
      (await admin.get(`/api/v1/cis?q=readable&limit=100${qs}`))
        .json<{ items: { name: string }[] }>()
        .items.map((x) => x.name);
    expect(await list('')).toHaveLength(6);
    expect(await list('&installations=exclude')).toEqual(['Readable PC']);
    expect((await admin.get('/api/v1/cis?installations=all')).statusCode).toBe(400);

    const page = async (qs: string) => {
      const r = await app.as(agent).get(`/api/v1/cis/${pc.id}/software?${qs}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ items: { name: string }[]; nextCursor: string | null }>();
    };
    const first = await page('limit=2');
    expect(first.items.map((x) => x.name)).toEqual(['Readable Alpha Tool', 'Readable Beta Tool']);
    const second = await page(`limit=2&cursor=${first.nextCursor}`);
    const third = await page(`limit=2&cursor=${second.nextCursor}`);
    expect([...second.items, ...third.items].map((x) => x.name)).toEqual([
      'Readable Delta Tool',
      'Readable Epsilon Tool',
      'Readable Gamma Viewer',
    ]);
    expect(third.nextCursor).toBeNull();
    expect((await page('q=viewer')).items.map((x) => x.name)).toEqual(['Readable Gamma Viewer']);
    expect((await app.as(agent).get(`/api/v1/cis/${pc.id}/software?cursor=forged`)).statusCode).toBe(400);
    expect((await app.as(requester).get(`/api/v1/cis/${pc.id}/software`)).statusCode).toBe(404);
    expect(
      (await app.as(agent).get('/api/v1/cis/00000000-0000-4000-8000-000000000000/software')).statusCode,
    ).toBe(404);
  });
});
