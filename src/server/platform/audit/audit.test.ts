import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditVerification } from '../../../contracts/index.js';
import { setup, type TestApp } from '../../../../test/support/api.js';

/** Runs a statement "behind Steward's back": with the append-only trigger switched off, as a DBA could. */
async function tamper(app: TestApp, statement: ReturnType<typeof sql>): Promise<void> {
  await app.database.db.transaction().execute(async (tx) => {
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(tx);
    await statement.execute(tx);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`.execute(tx);
  });
}

/** The verification as the API reports it (with the server's chain key). */
async function verifyChain(app: TestApp) {
  return (await app.as(app.admin).get('/api/v1/audit/verify')).json<AuditVerification>();
}

describe('audit trail', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
    for (let i = 0; i < 5; i++) await app.as(app.admin).post('/api/v1/teams', { name: `Audit team ${i}` });
    await app.server.sealer.kick();
  });
  afterAll(async () => app.close());

  it('records who, what, when, the entity and the changed fields only', async () => {
    const t = (await app.as(app.admin).post('/api/v1/teams', { name: 'Before', description: 'same' })).json();
    await app.as(app.admin).patch(`/api/v1/teams/${t.id}`, { name: 'After' }, { 'if-match': '"v1"' });
    const r = await app.as(app.admin).get(`/api/v1/audit?entityId=${t.id}&action=team.updated`);
    const [e] = r.json().items;
    expect(e).toMatchObject({ actorId: app.admin.id, actorLabel: app.admin.email, entityType: 'team' });
    expect(e.before).toMatchObject({ name: 'Before', version: 1 });
    expect(e.after).toMatchObject({ name: 'After', version: 2 });
    expect(e.before).not.toHaveProperty('description');
    expect(Date.now() - Date.parse(e.at)).toBeLessThan(600_000);
  });

  it('never stores secrets', async () => {
    await app
      .as(app.admin)
      .post('/api/v1/users', { email: 'secret@example.com', name: 'S', password: 'my very secret pw' });
    const rows = await app.database.db.selectFrom('audit_log').select(['before', 'after']).execute();
    expect(JSON.stringify(rows)).not.toContain('my very secret pw');
    expect(JSON.stringify(rows)).not.toContain('scrypt$');
  });

  it('refuses edits and deletes through ordinary statements', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(app.database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(app.database.db)).rejects.toThrow(/append-only/);
  });

  it('verifies an intact chain', async () => {
    await app.server.sealer.kick();
    const v = await verifyChain(app);
    expect(v).toMatchObject({ ok: true, unsealed: 0, problems: [] });
    expect(v.checked).toBeGreaterThan(5);
  });

  it('names the people, teams, tickets and items a page mentions, as people know them', async () => {
    const agent = await app.user('agent', { name: 'Ann Agent' });
    const team = (await app.as(app.admin).post('/api/v1/teams', { name: 'Network' })).json();
    const ticket = (
      await app.as(app.admin).post('/api/v1/tickets', { type: 'incident', title: 'No wifi' })
    ).json();
    await app
      .as(app.admin)
      .patch(
        `/api/v1/tickets/${ticket.id}`,
        { teamId: team.id, assigneeId: agent.id },
        { 'if-match': `"v${ticket.version}"` },
      );
    const item = (await app.as(app.admin).post('/api/v1/cis', { classKey: 'service', name: 'Mail' })).json();
    const page = (await app.as(app.admin).get('/api/v1/audit?limit=20')).json();
    expect(page.names[ticket.id]).toBe(ticket.key);
    expect(page.names[team.id]).toBe('Network');
    expect(page.names[agent.id]).toBe('Ann Agent');
    expect(page.names[item.id]).toBe('Mail');
    expect(page.names[app.admin.id]).toBeTypeOf('string');
  });

  it('lets only managers and admins browse the trail', async () => {
    const agent = await app.user('agent');
    const manager = await app.user('manager');
    expect((await app.as(agent).get('/api/v1/audit')).statusCode).toBe(404);
    expect((await app.as(manager).get('/api/v1/audit')).statusCode).toBe(200);
    const page = await app.as(app.admin).get('/api/v1/audit?limit=2');
    const next = await app.as(app.admin).get(`/api/v1/audit?limit=2&cursor=${page.json().nextCursor}`);
    expect(Number(next.json().items[0].id)).toBeLessThan(Number(page.json().items[1].id));
    expect((await app.as(app.admin).get('/api/v1/audit?from=yesterday')).statusCode).toBe(400);
  });

  it('reports an entry edited behind its back', async () => {
    const a = await setup();
    for (let i = 0; i < 3; i++) await a.as(a.admin).post('/api/v1/teams', { name: `T${i}` });
    await a.server.sealer.kick();
    await tamper(a, sql`UPDATE audit_log SET after = '{"name":"forged"}' WHERE seq = 3`);
    const v = await verifyChain(a);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      expect.objectContaining({ seq: '3', problem: expect.stringContaining('modified') }),
    ]);
    await a.close();
  });

  it('reports entries deleted from the middle and from the end', async () => {
    const a = await setup();
    for (let i = 0; i < 4; i++) await a.as(a.admin).post('/api/v1/teams', { name: `T${i}` });
    await a.server.sealer.kick();
    await tamper(a, sql`DELETE FROM audit_log WHERE seq = 2`);
    let v = await verifyChain(a);
    expect(v.ok).toBe(false);
    expect(v.problems[0]?.problem).toMatch(/missing/);
    const b = await setup();
    for (let i = 0; i < 3; i++) await b.as(b.admin).post('/api/v1/teams', { name: `T${i}` });
    await b.server.sealer.kick();
    await tamper(b, sql`DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`);
    v = await verifyChain(b);
    expect(v.ok).toBe(false);
    expect(v.problems[0]?.problem).toMatch(/newest entries/);
    await a.close();
    await b.close();
  });
});
