import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';

describe('teams', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
  });
  afterAll(async () => app.close());

  it('creates, renames, changes members of, and deletes a team, auditing each', async () => {
    const a = await app.user('agent');
    const created = await app
      .as(app.admin)
      .post('/api/v1/teams', { name: 'Service Desk', memberIds: [a.id] });
    expect(created.statusCode).toBe(201);
    const t = created.json();
    expect(t.memberIds).toEqual([a.id]);
    const renamed = await app
      .as(app.admin)
      .patch(
        `/api/v1/teams/${t.id}`,
        { name: 'Service Desk L1', memberIds: [] },
        { 'if-match': created.headers.etag as string },
      );
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Service Desk L1', memberIds: [], version: 2 });
    const user = await app.as(app.admin).get(`/api/v1/users/${a.id}`);
    expect(user.json().teamIds).toEqual([]);
    expect((await app.as(app.admin).delete(`/api/v1/teams/${t.id}`)).statusCode).toBe(204);
    expect((await app.as(app.admin).get(`/api/v1/teams/${t.id}`)).statusCode).toBe(404);
    const audit = await app.as(app.admin).get(`/api/v1/audit?entityType=team&entityId=${t.id}`);
    const entries = audit.json().items;
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'team.deleted',
      'team.updated',
      'team.created',
    ]);
    const upd = entries[1];
    expect(upd.before).toMatchObject({ name: 'Service Desk', memberIds: [a.id] });
    expect(upd.after).toMatchObject({ name: 'Service Desk L1', memberIds: [] });
    expect(upd.before).not.toHaveProperty('description');
  });

  it('refuses unknown members and duplicate names', async () => {
    await app.as(app.admin).post('/api/v1/teams', { name: 'Network' });
    const dup = await app.as(app.admin).post('/api/v1/teams', { name: 'NETWORK' });
    expect(dup.statusCode).toBe(409);
    const ghost = await app
      .as(app.admin)
      .post('/api/v1/teams', { name: 'Ghosts', memberIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json().errors[0].path).toBe('body.memberIds');
    expect((await app.as(app.admin).get('/api/v1/teams?q=ghosts')).json().items).toEqual([]);
  });

  it('lets agents read teams but not change them; requesters cannot see them', async () => {
    const agent = await app.user('agent');
    const req = await app.user('requester');
    const t = (await app.as(app.admin).post('/api/v1/teams', { name: 'Servers' })).json();
    expect((await app.as(agent).get(`/api/v1/teams/${t.id}`)).statusCode).toBe(200);
    expect((await app.as(agent).post('/api/v1/teams', { name: 'Mine' })).statusCode).toBe(403);
    expect((await app.as(agent).delete(`/api/v1/teams/${t.id}`)).statusCode).toBe(403);
    expect((await app.as(req).get(`/api/v1/teams/${t.id}`)).statusCode).toBe(404);
    expect((await app.as(req).delete(`/api/v1/teams/${t.id}`)).statusCode).toBe(404);
    expect((await app.as(req).get('/api/v1/teams')).statusCode).toBe(404);
  });
});
