import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

describe('notifications', () => {
  let app: TestApp;
  let agent: TestUser;
  let other: TestUser;
  let requester: TestUser;
  let watcher: TestUser;
  let team: { id: string };

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [agent, other, requester, watcher] = await Promise.all([
      app.user('agent'),
      app.user('agent'),
      app.user('requester'),
      app.user('agent'),
    ]);
    team = (
      await app.as(app.admin).post('/api/v1/teams', { name: 'Desk', memberIds: [agent.id, other.id] })
    ).json();
  });
  afterAll(async () => app.close());

  const inbox = async (u: TestUser, query = '') =>
    (await app.as(u).get(`/api/v1/notifications${query}`)).json();
  const open = async () =>
    (
      await app.as(requester).post('/api/v1/tickets', { type: 'incident', title: 'VPN drops every hour' })
    ).json();

  it('tells an agent about an assignment, and never the one who made it', async () => {
    const t = await open();
    const r = await app
      .as(other)
      .patch(`/api/v1/tickets/${t.id}`, { teamId: team.id, assigneeId: agent.id }, { 'if-match': '"v1"' });
    expect(r.statusCode).toBe(200);
    const mine = await inbox(agent);
    expect(mine.items[0]).toMatchObject({ event: 'assigned', ticketId: t.id, readAt: null });
    expect(mine.items[0].title).toBe(`[${t.key}] Assigned to you: VPN drops every hour`);
    expect(mine.items[0].body).toContain(`/tickets/${t.id}`);
    expect(mine.unread).toBeGreaterThan(0);
    expect((await inbox(other)).items.filter((n: { ticketId: string }) => n.ticketId === t.id)).toEqual([]);
  });

  it('tells the requester and watchers about public replies and status changes, not about internal notes', async () => {
    const t = await open();
    await app.as(agent).post(`/api/v1/tickets/${t.id}/watchers`, { userId: watcher.id });
    await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'Secret', internal: true });
    await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'Please restart the client.' });
    const got = (await inbox(requester)).items.filter((n: { ticketId: string }) => n.ticketId === t.id);
    expect(got.map((n: { event: string }) => n.event)).toEqual(['replied']);
    expect(got[0].body).toContain('Please restart the client.');
    expect(got[0].body).toContain(`/portal/tickets/${t.id}`);
    expect(JSON.stringify(got)).not.toContain('Secret');
    const w = (await inbox(watcher)).items.filter((n: { ticketId: string }) => n.ticketId === t.id);
    expect(w.map((n: { event: string }) => n.event)).toEqual(['replied']);
    await app.as(agent).post(`/api/v1/tickets/${t.id}/transition`, { status: 'cancelled' });
    const after = (await inbox(requester)).items.filter((n: { ticketId: string }) => n.ticketId === t.id);
    expect(after.map((n: { event: string }) => n.event)).toEqual(['status_changed', 'replied']);
  });

  it('honours preferences, with both channels on by default', async () => {
    const prefs = (await app.as(requester).get('/api/v1/me/notification-preferences')).json();
    expect(prefs.items).toContainEqual({ event: 'replied', inApp: true, email: true });
    const dup = await app.as(requester).put('/api/v1/me/notification-preferences', {
      items: [
        { event: 'replied', inApp: false, email: false },
        { event: 'replied', inApp: true, email: false },
      ],
    });
    expect(dup.statusCode).toBe(400);
    const set = await app.as(requester).put('/api/v1/me/notification-preferences', {
      items: [{ event: 'replied', inApp: false, email: false }],
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().items).toContainEqual({ event: 'replied', inApp: false, email: false });
    const t = await open();
    await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'Quiet reply' });
    expect((await inbox(requester)).items.filter((n: { ticketId: string }) => n.ticketId === t.id)).toEqual(
      [],
    );
    await app.as(requester).put('/api/v1/me/notification-preferences', { items: [] });
  });

  it('lets admins edit templates, refusing unknown placeholders and stale edits', async () => {
    expect((await app.as(agent).get('/api/v1/notification-templates')).statusCode).toBe(403);
    const list = (await app.as(app.admin).get('/api/v1/notification-templates')).json();
    expect(list.items.find((t: { event: string }) => t.event === 'replied')).toMatchObject({
      custom: false,
      version: 0,
    });
    const bad = await app.as(app.admin).put('/api/v1/notification-templates/replied', {
      subject: 'Re {{ticket.key}} {{ticket.secret}}',
      body: 'x',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'body.subject' });
    const ok = await app.as(app.admin).put('/api/v1/notification-templates/replied', {
      subject: 'News on {{ticket.key}}',
      body: 'Hi {{recipient}}: {{comment}}',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"v1"');
    const again = await app
      .as(app.admin)
      .put('/api/v1/notification-templates/replied', { subject: 'x', body: 'y' });
    expect(again.statusCode).toBe(428);
    const stale = await app
      .as(app.admin)
      .put('/api/v1/notification-templates/replied', { subject: 'x', body: 'y' }, { 'if-match': '"v7"' });
    expect(stale.statusCode).toBe(412);
    const t = await open();
    await app.as(agent).post(`/api/v1/tickets/${t.id}/comments`, { body: 'Templated' });
    const n = (await inbox(requester)).items.find((x: { ticketId: string }) => x.ticketId === t.id);
    expect(n.title).toBe(`News on ${t.key}`);
    expect(n.body).toBe(`Hi ${requester.name}: Templated`);
    const audit = (await app.as(app.admin).get('/api/v1/audit?entityType=notification_template')).json();
    expect(audit.items[0].action).toBe('notification.template_set');
  });

  it('marks notifications read, one (only one’s own) or all', async () => {
    const mine = await inbox(agent, '?unread=true');
    expect(mine.items.length).toBeGreaterThan(0);
    const first = mine.items[0];
    expect((await app.as(other).post(`/api/v1/notifications/${first.id}/read`)).statusCode).toBe(404);
    const one = await app.as(agent).post(`/api/v1/notifications/${first.id}/read`);
    expect(one.json().unread).toBe(mine.unread - 1);
    const all = await app.as(agent).post('/api/v1/notifications/read-all');
    expect(all.json().unread).toBe(0);
    expect((await inbox(agent, '?unread=true')).items).toEqual([]);
    expect((await app.as(agent).get('/api/v1/notifications?cursor=zzz')).statusCode).toBe(400);
  });
});
