import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { multipart } from '../../../../test/support/multipart.js';

describe('security incidents', () => {
  let app: TestApp;
  let sam: TestUser; // agent in the security team
  let ann: TestUser; // agent in the service desk
  let max: TestUser; // manager: sees every ticket, but not security incidents
  let rob: TestUser; // requester who reported it
  let item: string;
  let incident: { id: string; key: string };
  const WORD = 'quokkaphish';
  const admin = () => app.as(app.admin);

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [sam, ann, max, rob] = await Promise.all([
      app.user('agent', { name: 'Sam Security' }),
      app.user('agent', { name: 'Ann Agent' }),
      app.user('manager', { name: 'Max Manager' }),
      app.user('requester', { name: 'Rob Requester' }),
    ]);
    const sec = await admin().post('/api/v1/teams', {
      name: 'Security',
      memberIds: [sam.id],
      security: true,
    });
    expect(sec.statusCode, sec.body).toBe(201);
    expect(sec.json().security).toBe(true);
    await admin().post('/api/v1/teams', { name: 'Service desk', memberIds: [ann.id] });
    item = (await admin().post('/api/v1/cis', { classKey: 'laptop', name: 'Rob’s laptop' })).json().id;
    const t = await app.as(rob).post('/api/v1/tickets', {
      type: 'incident',
      title: `Odd mail: ${WORD} attachment`,
      description: `It asked for my password (${WORD})`,
    });
    expect(t.statusCode, t.body).toBe(201);
    incident = t.json();
    expect(incident.key).toMatch(/^INC-/);
    const link = await admin().post(`/api/v1/tickets/${incident.id}/cis`, { ciId: item });
    expect(link.statusCode, link.body).toBe(204);
  });
  afterAll(async () => app?.close());

  /** Every way a caller could find the incident: by id, lists, counts, search, the global search box, items. */
  const finds = async (who: TestUser | { token: string }) => {
    const as = app.as(who);
    const byId = (await as.get(`/api/v1/tickets/${incident.id}`)).statusCode === 200;
    const list = (await as.get('/api/v1/tickets?limit=200')).json().items ?? [];
    const searched = (await as.get(`/api/v1/tickets?q=${WORD}`)).json().items ?? [];
    const count = (await as.get(`/api/v1/tickets/count?q=${WORD}`)).json().count ?? 0;
    const global = (await as.get(`/api/v1/search?q=${WORD}`)).json();
    const byKey = (await as.get(`/api/v1/search?q=${incident.key}`)).json();
    const ofItem = await as.get(`/api/v1/cis/${item}/tickets`);
    const subs = await Promise.all(
      [
        'timeline',
        'presence',
        'watchers',
        'attachments',
        'links',
        'sla',
        'evidence',
        'security-timeline',
      ].map(async (s) => (await as.get(`/api/v1/tickets/${incident.id}/${s}`)).statusCode),
    );
    return {
      byId,
      list: list.some((t: { id: string }) => t.id === incident.id),
      searched: searched.length > 0,
      count,
      global: (global.tickets ?? []).length > 0 || (global.goTo !== null && global.goTo !== undefined),
      byKey: (byKey.tickets ?? []).length > 0 || (byKey.goTo !== null && byKey.goTo !== undefined),
      ofItem: ofItem.statusCode === 200 && JSON.stringify(ofItem.json()).includes(incident.id),
      subs,
    };
  };

  it('is flagged only by admins and the security team', async () => {
    expect(
      (await app.as(ann).put(`/api/v1/tickets/${incident.id}/security`, { security: true })).statusCode,
    ).toBe(403);
    expect(
      (await app.as(rob).put(`/api/v1/tickets/${incident.id}/security`, { security: true })).statusCode,
    ).toBe(403);
    expect(
      (await app.as(sam).put(`/api/v1/tickets/${incident.id}/security`, { security: 'yes' })).statusCode,
    ).toBe(400);
    // Before: an ordinary ticket; the evidence log is for security incidents only.
    expect((await app.as(sam).get(`/api/v1/tickets/${incident.id}/evidence`)).statusCode).toBe(409);
    const r = await app.as(sam).put(`/api/v1/tickets/${incident.id}/security`, { security: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().security).toBe(true);
    const audit = (await admin().get(`/api/v1/audit?entityId=${incident.id}`)).json().items;
    expect(audit.map((a: { action: string }) => a.action)).toContain('ticket.security_changed');
  });

  it('is found by nobody but the security team and admins, on any route', async () => {
    for (const who of [rob, ann, max]) {
      const f = await finds(who);
      expect(f, who.name).toMatchObject({
        byId: false,
        list: false,
        searched: false,
        count: 0,
        global: false,
        byKey: false,
        ofItem: false,
      });
      expect(new Set(f.subs), who.name).toEqual(new Set([404]));
    }
    for (const who of [sam, app.admin]) {
      const f = await finds(who);
      expect(f, who.name).toMatchObject({
        byId: true,
        list: true,
        searched: true,
        global: true,
        byKey: true,
      });
      expect(f.count).toBe(1);
      expect(
        f.subs.filter((s) => s !== 200),
        who.name,
      ).toEqual([]);
    }
    // Writes are 404 too: a comment, a watcher, the flag.
    expect(
      (await app.as(max).post(`/api/v1/tickets/${incident.id}/comments`, { body: 'hello' })).statusCode,
    ).toBe(404);
    expect(
      (await app.as(ann).put(`/api/v1/tickets/${incident.id}/security`, { security: false })).statusCode,
    ).toBe(404);
  });

  it('keeps an append-only evidence log, chained, with attachments’ hashes', async () => {
    const file = Buffer.from('Received: from evil.example\r\nSubject: invoice\r\n');
    const m = multipart([{ name: 'file', filename: 'mail.eml', type: 'message/rfc822', data: file }]);
    const up = await app.as(sam).req('POST', `/api/v1/tickets/${incident.id}/attachments`, m.body, m.headers);
    expect(up.statusCode, up.body).toBe(201);
    const attachmentId = up.json().items[0].id;
    const digest = createHash('sha256').update('disk image').digest('hex');
    const add = (who: TestUser | { token: string }, body: unknown) =>
      app.as(who).post(`/api/v1/tickets/${incident.id}/evidence`, body);
    for (const bad of [
      {},
      { note: '' },
      { note: 'a\u0000b' },
      { note: 'x'.repeat(4001) },
      { note: 'x', sha256: 'abc' },
      { note: 'x', sha256: digest, attachmentId },
      { note: 'x', extra: 1 },
    ])
      expect((await add(sam, bad)).statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
    expect(
      (await add(sam, { note: 'x', attachmentId: '00000000-0000-4000-8000-000000000000' })).statusCode,
    ).toBe(400);
    expect((await add(max, { note: 'the manager' })).statusCode).toBe(404);
    const first = await add(sam, { note: 'The original mail', attachmentId });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      seq: 1,
      fileName: 'mail.eml',
      sha256: createHash('sha256').update(file).digest('hex'),
      prevHash: '0'.repeat(64),
    });
    // Parallel appends: each gets its own place in the chain, none lost.
    const many = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        add(i % 2 ? sam : app.admin, { note: `image ${i}`, sha256: digest }),
      ),
    );
    expect(many.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const log = (await app.as(sam).get(`/api/v1/tickets/${incident.id}/evidence`)).json();
    expect(log.intact).toBe(true);
    expect(log.items.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    for (let i = 1; i < log.items.length; i++) expect(log.items[i].prevHash).toBe(log.items[i - 1].hash);
    // The database refuses to change or remove an entry.
    const db = app.server.ctx.db;
    await expect(sql`UPDATE security_evidence SET note = 'edited'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM security_evidence`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('exports the timeline with the evidence as JSON and CSV', async () => {
    await app
      .as(sam)
      .post(`/api/v1/tickets/${incident.id}/comments`, { body: 'Mailbox quarantined', internal: true });
    const json = await app.as(sam).get(`/api/v1/tickets/${incident.id}/security-timeline?format=json`);
    expect(json.statusCode, json.body).toBe(200);
    const t = json.json();
    expect(t.ticket.key).toBe(incident.key);
    expect(t.intact).toBe(true);
    const kinds = t.lines.map((l: { kind: string }) => l.kind);
    expect(kinds[0]).toBe('created');
    expect(kinds.filter((k: string) => k === 'evidence')).toHaveLength(21);
    expect(JSON.stringify(t.lines)).toContain('internal note: Mailbox quarantined');
    const sorted = [...t.lines].sort((a: { at: string }, b: { at: string }) => (a.at < b.at ? -1 : 1));
    expect(t.lines.map((l: { at: string }) => l.at)).toEqual(sorted.map((l: { at: string }) => l.at));
    const csv = await admin().get(`/api/v1/tickets/${incident.id}/security-timeline?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('at,by,kind,what,sha256');
    expect(lines).toHaveLength(t.lines.length + 1);
    expect(
      (await app.as(max).get(`/api/v1/tickets/${incident.id}/security-timeline?format=csv`)).statusCode,
    ).toBe(404);
  });

  it('tells nobody of it but those who handle security incidents: not its requester, not a watcher', async () => {
    const told = async (u: TestUser) =>
      JSON.stringify((await app.as(u).get('/api/v1/notifications?limit=100')).json().items).includes(
        incident.id,
      );
    // An agent outside the team was watching it before it was flagged; a security agent replies in public.
    await sql`INSERT INTO ticket_watchers (ticket_id, user_id) VALUES (${incident.id}, ${ann.id})
      ON CONFLICT DO NOTHING`.execute(app.database.db);
    const r = await app
      .as(sam)
      .post(`/api/v1/tickets/${incident.id}/comments`, { body: `About the ${WORD}` });
    expect(r.statusCode, r.body).toBe(201);
    expect(await told(rob)).toBe(false);
    expect(await told(ann)).toBe(false);
    // The same reply on an ordinary ticket of Rob's reaches him (the check above can fail).
    const plain = (await app.as(rob).post('/api/v1/tickets', { type: 'incident', title: 'Printer' })).json();
    await app.as(sam).post(`/api/v1/tickets/${plain.id}/comments`, { body: 'On my way' });
    expect(JSON.stringify((await app.as(rob).get('/api/v1/notifications?limit=100')).json().items)).toContain(
      plain.id,
    );
  });

  it('becomes an ordinary ticket again when the flag is cleared', async () => {
    const r = await app.as(sam).put(`/api/v1/tickets/${incident.id}/security`, { security: false });
    expect(r.statusCode, r.body).toBe(200);
    expect((await finds(rob)).byId).toBe(true);
    expect((await finds(max)).list).toBe(true);
  });
});
