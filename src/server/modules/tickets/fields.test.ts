import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { runDueRecurrences } from './recurring.service.js';

describe('custom fields, templates and recurring tickets', () => {
  let app: TestApp;
  let agent: TestUser;
  let requester: TestUser;
  let printers: string;
  const admin = () => app.as(app.admin);

  beforeAll(async () => {
    app = await setup();
    [agent, requester] = await Promise.all([app.user('agent'), app.user('requester')]);
    printers = (await admin().post('/api/v1/categories', { name: 'Printers' })).json().id;
    const defs = [
      {
        key: 'asset_tag',
        label: 'Asset tag',
        kind: 'text',
        types: ['incident', 'request'],
        requesterVisible: true,
      },
      {
        key: 'floor',
        label: 'Floor',
        kind: 'number',
        types: ['incident'],
        required: true,
        requesterVisible: true,
      },
      { key: 'due_on', label: 'Due on', kind: 'date', types: ['request'] },
      {
        key: 'toner',
        label: 'Toner',
        kind: 'choice',
        options: ['black', 'cyan'],
        types: ['request'],
        categoryIds: [printers],
      },
      { key: 'vip', label: 'VIP', kind: 'checkbox', types: ['incident'] },
    ];
    for (const d of defs) expect((await admin().post('/api/v1/ticket-fields', d)).statusCode).toBe(201);
  });
  afterAll(async () => app.close());

  it('validates values on create: unknown field, wrong kind, missing required, not applicable', async () => {
    const open = (fields: Record<string, unknown>, type = 'incident') =>
      app.as(agent).post('/api/v1/tickets', { type, title: 'Printer jam', fields });
    const bad = async (fields: Record<string, unknown>, path: string, type?: string) => {
      const r = await open(fields, type);
      expect(r.statusCode, JSON.stringify(r.json())).toBe(400);
      expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad({ floor: 3, nope: 'x' }, 'body.fields.nope');
    await bad({ floor: 'three' }, 'body.fields.floor');
    await bad({}, 'body.fields.floor');
    await bad({ floor: 2, toner: 'black' }, 'body.fields.toner');
    await bad({ due_on: '2026-02-30' }, 'body.fields.due_on', 'request');
    await bad({ toner: 'black' }, 'body.fields.toner', 'request'); // only for printers
    await bad({ floor: 2, vip: 'maybe' }, 'body.fields.vip');
    await bad({ floor: 2, asset_tag: 'a\u0001b' }, 'body.fields.asset_tag');
    const nul = await open({ floor: 2, asset_tag: 'a\u0000b' });
    expect(nul.statusCode).toBe(400);
    // nothing of the refused creations was written
    const list = await app.as(agent).get('/api/v1/tickets?q=jam');
    expect(list.json().items).toEqual([]);

    const ok = await open({ floor: 2, asset_tag: 'PR-77', vip: true });
    expect(ok.statusCode).toBe(201);
    const f = await app.as(agent).get(`/api/v1/tickets/${ok.json().id}/fields`);
    expect(
      Object.fromEntries(f.json().items.map((i: { key: string; value: unknown }) => [i.key, i.value])),
    ).toEqual({ asset_tag: 'PR-77', floor: 2, vip: true });
  });

  it('asks requesters only the fields shown on the portal', async () => {
    const seen = (await app.as(requester).get('/api/v1/ticket-fields'))
      .json()
      .items.map((f: { key: string }) => f.key);
    expect(seen.sort()).toEqual(['asset_tag', 'floor']);
    const hidden = await app
      .as(requester)
      .post('/api/v1/tickets', { type: 'incident', title: 'x', fields: { floor: 1, vip: true } });
    expect(hidden.statusCode).toBe(400);
    const r = await app
      .as(requester)
      .post('/api/v1/tickets', { type: 'incident', title: 'Screen dark', fields: { floor: 4 } });
    expect(r.statusCode).toBe(201);
    const mine = (await app.as(requester).get(`/api/v1/tickets/${r.json().id}/fields`)).json().items;
    expect(mine.map((i: { key: string }) => i.key).sort()).toEqual(['asset_tag', 'floor']);
    expect(
      (await app.as(requester).put(`/api/v1/tickets/${r.json().id}/fields`, { fields: { floor: 5 } }))
        .statusCode,
    ).toBe(403);
  });

  it('filters and searches by values; changes are in the history and the audit trail', async () => {
    const t = (
      await app
        .as(agent)
        .post('/api/v1/tickets', { type: 'incident', title: 'Noisy fan', fields: { floor: 7 } })
    ).json();
    const put = await app
      .as(agent)
      .put(`/api/v1/tickets/${t.id}/fields`, { fields: { asset_tag: 'ZEBRA-9', floor: 8 } });
    expect(put.statusCode).toBe(200);
    expect(
      (await app.as(agent).put(`/api/v1/tickets/${t.id}/fields`, { fields: { floor: null } })).statusCode,
    ).toBe(400);
    expect(
      (await app.as(agent).put(`/api/v1/tickets/${t.id}/fields`, { fields: { floor: 'x' } })).statusCode,
    ).toBe(400);
    const keys = async (qs: string) =>
      (await app.as(agent).get(`/api/v1/tickets?${qs}`)).json().items.map((i: { key: string }) => i.key);
    expect(await keys('field.floor=8')).toEqual([t.key]);
    expect(await keys('field.floor=8.0&status=new')).toEqual([t.key]);
    expect(await keys('field.floor=7')).toEqual([]);
    expect(await keys('q=ZEBRA-9')).toEqual([t.key]);
    expect((await app.as(agent).get('/api/v1/tickets?field.nope=1')).statusCode).toBe(400);
    expect((await app.as(agent).get('/api/v1/tickets?field.floor=abc')).statusCode).toBe(400);
    expect((await app.as(agent).get('/api/v1/tickets/count?field.floor=8')).json().count).toBe(1);
    const tl = (await app.as(agent).get(`/api/v1/tickets/${t.id}/timeline?limit=200`)).json().items;
    expect(tl.filter((e: { field?: string }) => e.field === 'field.floor').length).toBe(1);
    const audit = await admin().get(`/api/v1/audit?entityType=ticket&entityId=${t.id}`);
    const changed = audit.json().items.find((e: { action: string }) => e.action === 'ticket.fields_changed');
    expect(changed.after).toEqual({ asset_tag: 'ZEBRA-9', floor: '8' });
  });

  it('opens tickets from templates; only admins write templates', async () => {
    const body = {
      name: 'Printer check',
      type: 'request',
      categoryId: printers,
      priority: 4,
      title: 'Monthly printer check',
      fields: { toner: 'cyan', due_on: '2027-01-31' },
    };
    expect((await app.as(agent).post('/api/v1/ticket-templates', body)).statusCode).toBe(403);
    expect(
      (await admin().post('/api/v1/ticket-templates', { ...body, fields: { toner: 'pink' } })).statusCode,
    ).toBe(400);
    const tpl = await admin().post('/api/v1/ticket-templates', body);
    expect(tpl.statusCode).toBe(201);
    expect((await admin().post('/api/v1/ticket-templates', body)).statusCode).toBe(409);
    const r = await app.as(agent).post(`/api/v1/ticket-templates/${tpl.json().id}/tickets`, {});
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ title: 'Monthly printer check', priority: 4, categoryId: printers });
    const f = (await app.as(agent).get(`/api/v1/tickets/${r.json().id}/fields`)).json().items;
    expect(f.find((i: { key: string }) => i.key === 'toner').value).toBe('cyan');
    expect((await app.as(requester).get('/api/v1/ticket-templates')).statusCode).toBe(403);
  });

  it('opens one ticket per due run, even with two runs in parallel and after downtime', async () => {
    const tpl = (
      await admin().post('/api/v1/ticket-templates', {
        name: 'Backup tape',
        type: 'request',
        title: 'Swap the backup tape',
      })
    ).json();
    const bad = await admin().post('/api/v1/ticket-recurrences', {
      name: 'x',
      templateId: tpl.id,
      requesterId: requester.id,
      rule: { frequency: 'weekly', day: 9 },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await admin().post('/api/v1/ticket-recurrences', {
          name: 'x',
          templateId: tpl.id,
          requesterId: requester.id,
          rule: { cron: 'not cron' },
        })
      ).statusCode,
    ).toBe(400);
    const rec = await admin().post('/api/v1/ticket-recurrences', {
      name: 'Tape swap',
      templateId: tpl.id,
      requesterId: requester.id,
      rule: { frequency: 'monthly', day: 1, hour: 7 },
    });
    expect(rec.statusCode).toBe(201);
    const next = new Date(rec.json().nextRunAt);
    expect(next.getUTCDate()).toBe(1);
    // Three months late, two processes at once: one ticket, and the next run is after "now".
    const late = new Date(next.getTime() + 90 * 86_400_000);
    const ran = await Promise.all([
      runDueRecurrences(app.server.ctx, late),
      runDueRecurrences(app.server.ctx, late),
    ]);
    expect(ran[0] + ran[1]).toBe(1);
    const list = (await app.as(agent).get('/api/v1/tickets?q=tape')).json().items;
    expect(list.length).toBe(1);
    const after = (await admin().get('/api/v1/ticket-recurrences')).json().items[0];
    expect(new Date(after.nextRunAt).getTime()).toBeGreaterThan(late.getTime());
    expect(after.lastTicketKey).toBe(list[0].key);
    expect(await runDueRecurrences(app.server.ctx, late)).toBe(0);
    const audit = await admin().get(`/api/v1/audit?entityType=ticket_recurrence&entityId=${after.id}`);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toContain('ticket_recurrence.ran');
  });
});
