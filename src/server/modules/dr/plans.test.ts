import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrPlan } from '../../../contracts/index.js';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { enrolDevice } from '../../../../test/support/devices.js';
import type { Actor } from '../../platform/permissions.js';
import { markVerified, recoveryOrder } from './index.js';

const MIN = 60_000;

describe('disaster-recovery plans per business service', () => {
  let app: TestApp;
  let tom: TestUser;
  let rita: TestUser;
  let mia: TestUser;
  const admin = () => app.as(app.admin);
  const item = async (classKey: string, name: string) => {
    const r = await admin().post('/api/v1/cis', { classKey, name, status: 'deployed' });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };
  const relate = async (from: string, type: string, to: string) => {
    const r = await admin().post(`/api/v1/cis/${from}/relationships`, { type, toId: to });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };
  const run = async (token: string, msAgo: number) => {
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    const r = await app.anonymous.post(
      '/api/v1/agents/backup/runs',
      {
        startedAt: at(msAgo),
        finishedAt: at(msAgo - 1000),
        status: 'succeeded',
        snapshotId: randomBytes(32).toString('hex'),
        filesNew: 0,
        filesChanged: 0,
        filesUnmodified: 1,
        bytesProcessed: 1,
        bytesAdded: 0,
        warnings: [],
        error: null,
      },
      { authorization: `Bearer ${token}` },
    );
    expect(r.statusCode).toBe(201);
  };
  const plan = (serviceId: string, extra: Record<string, unknown> = {}) => ({
    serviceId,
    name: `Plan ${randomUUID().slice(0, 8)}`,
    rtoMinutes: 240,
    rpoMinutes: 60,
    reviewDue: '2027-06-30',
    ...extra,
  });
  const create = async (body: Record<string, unknown>) => {
    const r = await admin().post('/api/v1/dr/plans', body);
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  const get = async (id: string) => (await admin().get(`/api/v1/dr/plans/${id}`)).json();
  const patch = async (id: string, body: Record<string, unknown>, caller = admin()) => {
    const cur = await admin().get(`/api/v1/dr/plans/${id}`);
    return caller.patch(`/api/v1/dr/plans/${id}`, body, { 'if-match': cur.headers.etag as string });
  };
  const patchItem = async (id: string, fields: Record<string, unknown>) => {
    const cur = await admin().get(`/api/v1/cis/${id}`);
    const r = await admin().patch(`/api/v1/cis/${id}`, fields, { 'if-match': cur.headers.etag as string });
    expect(r.statusCode).toBe(200);
  };
  const system: Actor = { userId: null, role: 'admin', label: 'system', via: 'system' };
  const drill = async (planId: string) => {
    const order = (await recoveryOrder(app.server.ctx, planId))!;
    return app.server.ctx.tx((db) =>
      markVerified(db, system, planId, {
        drillId: randomUUID(),
        at: new Date(),
        planVersion: order.planVersion,
        scope: order.scope,
      }),
    );
  };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    tom = await app.user('agent', { name: 'Tom Technician' });
    rita = await app.user('requester', { name: 'Rita Requester' });
    mia = await app.user('manager', { name: 'Mia Manager' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('orders what a service needs first, in waves, and says why a plan is not ready', async () => {
    const app1 = await enrolDevice(app, 'PAY-APP-1');
    const db1 = await item('server', 'PAY-DB-1');
    const host = await item('server', 'VM-HOST-1');
    const payroll = await item('service', 'Payroll');
    const unrelated = await item('server', 'PRINT-1');
    await relate(payroll, 'runs_on', app1.ciId);
    await relate(app1.ciId, 'depends_on', db1);
    await relate(db1, 'runs_on', host);
    await run(app1.token, 30 * MIN);
    const p = await create(
      plan(payroll, {
        name: 'Payroll recovery',
        steps: [
          { title: 'Restore the database', body: '1. Start **PAY-DB-1**', ownerId: tom.id, items: [db1] },
          { title: 'Check the pay run', expectedMinutes: 30 },
        ],
        contacts: [{ name: 'Hosting provider', role: 'Support line', phone: '+44 20 7946 0000' }],
      }),
    );
    expect(p.order.map((o: { name: string }) => o.name)).toEqual([
      'VM-HOST-1',
      'PAY-DB-1',
      'PAY-APP-1',
      'Payroll',
    ]);
    expect(p.order.map((o: { wave: number }) => o.wave)).toEqual([1, 2, 3, 4]);
    expect(p.order.find((o: { name: string }) => o.name === 'PAY-APP-1')).toMatchObject({
      device: true,
      withinRpo: true,
      needs: ['PAY-DB-1'],
    });
    expect(p.order.some((o: { ciId: string }) => o.ciId === unrelated)).toBe(false);
    expect(p.cycles).toEqual([]);
    expect(p.readiness.ready).toBe(false);
    expect(p.readiness.reasons).toEqual([
      'VM-HOST-1 has no backup snapshot.',
      'PAY-DB-1 has no backup snapshot.',
      'Step 2 “Check the pay run” has no owner.',
    ]);
    expect(p.steps[0]).toMatchObject({ owner: { name: 'Tom Technician' }, items: [{ name: 'PAY-DB-1' }] });
    expect(p.service.name).toBe('Payroll');

    // A snapshot older than the RPO, said in plain words.
    const tight = await patch(p.id, { rpoMinutes: 10 });
    expect(tight.statusCode).toBe(200);
    expect(tight.json().readiness.reasons).toContain(
      'PAY-APP-1’s last snapshot is 30 minutes old, beyond the RPO of 10 minutes.',
    );
    expect(tight.json().order[2]).toMatchObject({ name: 'PAY-APP-1', withinRpo: false });
    const order = (await recoveryOrder(app.server.ctx, p.id))!;
    expect(order.devices.map((d) => d.name)).toEqual(['VM-HOST-1', 'PAY-DB-1', 'PAY-APP-1']);
    expect(order.devices[2]!.lastSnapshot).not.toBeNull();
  });

  it('flags a cycle for a person to order, and follows their order once given', async () => {
    const svc = await item('service', 'Intranet');
    const a = await item('server', 'WEB-A');
    const b = await item('server', 'WEB-B');
    await relate(svc, 'runs_on', a);
    await relate(a, 'depends_on', b);
    await relate(b, 'depends_on', a);
    const p = await create(plan(svc, { steps: [{ title: 'All of it', ownerId: tom.id }] }));
    expect(p.cycles).toEqual([
      {
        number: 1,
        items: [
          { id: a, name: 'WEB-A' },
          { id: b, name: 'WEB-B' },
        ],
        ordered: false,
      },
    ]);
    expect(p.order.map((o: { cycle: number | null }) => o.cycle)).toEqual([1, 1, null]);
    expect(p.readiness.reasons).toContain(
      'WEB-A and WEB-B need each other (cycle 1): a person must choose their order.',
    );
    const r = await patch(p.id, { manualOrder: [b, a] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().cycles[0].ordered).toBe(true);
    expect(r.json().order.map((o: { name: string }) => o.name)).toEqual(['WEB-B', 'WEB-A', 'Intranet']);
    expect(r.json().readiness.reasons.some((s: string) => s.includes('need each other'))).toBe(false);
  });

  it('needs verification after a change to the plan or its scope, not after one outside it', async () => {
    const svc = await item('service', 'Mail');
    const mx = await item('server', 'MX-1');
    const other = await item('server', 'FILES-1');
    await relate(svc, 'runs_on', mx);
    const p = await create(plan(svc));
    expect(p.verification).toMatchObject({ needed: true, lastVerifiedAt: null });
    expect(p.verification.reasons[0]).toMatch(/^New plan by .*: no drill has run it yet\.$/);

    expect(await drill(p.id)).toBe(true);
    let v = (await get(p.id)).verification;
    expect(v).toMatchObject({ needed: false, reasons: [] });
    expect(v.lastVerifiedAt).not.toBeNull();

    await patchItem(other, { notes: 'outside the scope' });
    expect((await get(p.id)).verification.needed).toBe(false);

    await patchItem(mx, { notes: 'new disk' });
    v = (await get(p.id)).verification;
    expect(v).toMatchObject({ needed: true, reasons: ['MX-1 changed in the CMDB since the last drill.'] });
    expect(await drill(p.id)).toBe(true);

    const rel = await relate(mx, 'depends_on', other);
    v = (await get(p.id)).verification;
    expect(v).toMatchObject({
      needed: true,
      reasons: ['FILES-1 joined the plan’s scope since the last drill.'],
    });
    expect(await drill(p.id)).toBe(true);

    // A relationship between two items already in scope, then one taken away.
    await relate(svc, 'depends_on', other);
    v = (await get(p.id)).verification;
    expect(v.reasons).toEqual([
      'A relationship between items in scope was added or removed since the last drill.',
    ]);
    expect(await drill(p.id)).toBe(true);
    expect((await admin().delete(`/api/v1/cis/${mx}/relationships/${rel}`)).statusCode).toBe(204);
    expect((await get(p.id)).verification.reasons).toEqual([
      'A relationship between items in scope was added or removed since the last drill.',
    ]);
    expect(await drill(p.id)).toBe(true);

    const changed = await patch(p.id, { rtoMinutes: 120 }, app.as(mia));
    expect(changed.json().verification).toMatchObject({
      needed: true,
      reasons: ['The plan was changed by Mia Manager since the last drill.'],
    });
    // A drill that read the plan before a change does not clear it.
    const before = (await recoveryOrder(app.server.ctx, p.id))!;
    expect((await patch(p.id, { rtoMinutes: 90 })).statusCode).toBe(200);
    const cleared = await app.server.ctx.tx((db) =>
      markVerified(db, system, p.id, {
        drillId: randomUUID(),
        at: new Date(),
        planVersion: before.planVersion,
        scope: before.scope,
      }),
    );
    expect(cleared).toBe(false);
    expect((await get(p.id)).verification.needed).toBe(true);
  });

  it('refuses bad input with a clear 400 and writes nothing', async () => {
    const svc = await item('service', 'Wiki');
    const laptop = await item('laptop', 'LAPTOP-9');
    const outside = await item('server', 'NOT-IN-SCOPE');
    const count = async () => (await admin().get('/api/v1/dr/plans')).json().items.length as number;
    const n = await count();
    const bad: [Record<string, unknown>, string][] = [
      [plan(svc, { name: 'Nul\u0000byte' }), 'invalid_text'],
      [plan('not-a-uuid'), 'invalid'],
      [plan(svc, { name: 'x'.repeat(201) }), 'invalid'],
      [plan(svc, { summary: 'x'.repeat(20_001) }), 'invalid'],
      [plan(randomUUID()), 'invalid'],
      [plan(laptop), 'invalid'],
      [plan(svc, { rtoMinutes: 0 }), 'invalid'],
      [plan(svc, { reviewDue: '2027-02-30' }), 'invalid'],
      [plan(svc, { ownerId: randomUUID() }), 'invalid'],
      [plan(svc, { ownerId: 'nobody' }), 'invalid'],
      [plan(svc, { steps: [{ title: 'x', items: [outside] }] }), 'invalid'],
      [plan(svc, { steps: [{ title: '' }] }), 'invalid'],
      [plan(svc, { contacts: [{ name: 'Vendor', email: 'not-mail' }] }), 'invalid'],
      [plan(svc, { manualOrder: [outside] }), 'invalid'],
      [plan(svc, { colour: 'red' }), 'invalid'],
    ];
    for (const [body, code] of bad) {
      const r = await admin().post('/api/v1/dr/plans', body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json().code, r.body).toBe(code);
    }
    expect(await count()).toBe(n);
    expect((await admin().get('/api/v1/dr/plans/not-a-uuid')).statusCode).toBe(400);
    expect((await admin().get(`/api/v1/dr/plans/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('updates with If-Match: 428 without, 412 when stale, one winner among parallel updates', async () => {
    const svc = await item('service', 'CRM');
    const p = await create(plan(svc));
    expect((await admin().patch(`/api/v1/dr/plans/${p.id}`, { rtoMinutes: 5 })).statusCode).toBe(428);
    const etag = (await admin().get(`/api/v1/dr/plans/${p.id}`)).headers.etag as string;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        admin().patch(`/api/v1/dr/plans/${p.id}`, { rtoMinutes: 10 + i }, { 'if-match': etag }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 412)).toHaveLength(49);
    expect((await get(p.id)).version).toBe(p.version + 1);
  });

  it('keeps one plan per service and unique names, under parallel creates', async () => {
    const svc = await item('service', 'Telephony');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => admin().post('/api/v1/dr/plans', plan(svc, { name: `Tel ${i}` }))),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.statusCode === 409);
    const other = results.filter((r) => r.statusCode !== 409 && r.statusCode !== 201);
    expect(refused, other.map((r) => r.body).join('\n')).toHaveLength(49);
    expect(refused[0]!.json().code).toBe('plan_exists');
    const svc2 = await item('service', 'Telephony backup');
    const taken = results.find((r) => r.statusCode === 201)!.json().name as string;
    const dup = await admin().post('/api/v1/dr/plans', plan(svc2, { name: taken.toUpperCase() }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('name_taken');
  });

  it('lists plans a page at a time by name (keyset cursor), finds one by name, refuses forged cursors', async () => {
    const all = (await admin().get('/api/v1/dr/plans?limit=200')).json<{ items: DrPlan[] }>().items;
    expect(all.length).toBeGreaterThan(2);
    const names = all.map((p) => p.name.toLowerCase());
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = (await admin().get(`/api/v1/dr/plans?limit=1${q}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((p: DrPlan) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((p) => p.id));
    const one = (
      await admin().get(`/api/v1/dr/plans?name=${encodeURIComponent(all[1]!.name.toUpperCase())}`)
    ).json();
    expect(one.items.map((p: DrPlan) => p.id)).toEqual([all[1]!.id]);
    expect(one.items[0].order).toEqual(all[1]!.order);
    for (const bad of [
      'bogus',
      Buffer.from('["a\u0000", "x"]').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
    ])
      expect((await admin().get(`/api/v1/dr/plans?cursor=${bad}`)).statusCode).toBe(400);
    expect((await admin().get('/api/v1/dr/plans?limit=0')).statusCode).toBe(400);
    expect((await admin().get('/api/v1/dr/plans?name=a%00b')).statusCode).toBe(400);
  });

  it('hides plans from requesters (404), lets agents read, managers edit; audits every write', async () => {
    const svc = await item('service', 'HR portal');
    const p = await create(plan(svc));
    for (const r of [
      await app.as(rita).get('/api/v1/dr/plans'),
      await app.as(rita).get(`/api/v1/dr/plans/${p.id}`),
      await app.as(rita).post('/api/v1/dr/plans', plan(svc)),
      await app.as(rita).delete(`/api/v1/dr/plans/${p.id}`),
    ])
      expect(r.statusCode).toBe(404);
    expect((await app.as(tom).get(`/api/v1/dr/plans/${p.id}`)).statusCode).toBe(200);
    expect((await patch(p.id, { rtoMinutes: 30 }, app.as(tom))).statusCode).toBe(403);
    expect((await patch(p.id, { rtoMinutes: 30 }, app.as(mia))).statusCode).toBe(200);
    expect((await app.as(mia).delete(`/api/v1/dr/plans/${p.id}`)).statusCode).toBe(204);
    expect((await admin().get(`/api/v1/dr/plans/${p.id}`)).statusCode).toBe(404);
    const audit = (await admin().get(`/api/v1/audit?entityType=dr_plan&entityId=${p.id}`)).json().items as {
      action: string;
    }[];
    expect(audit.map((a) => a.action).sort()).toEqual([
      'dr_plan.created',
      'dr_plan.deleted',
      'dr_plan.updated',
    ]);
  });
});
