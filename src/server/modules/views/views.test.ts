import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';

describe('saved views', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
  });
  afterAll(async () => app.close());

  it('stores filters privately per user', async () => {
    const alice = await app.user('agent');
    const bob = await app.user('agent');
    const filters = {
      status: ['new', 'assigned'],
      assignee: 'me',
      q: 'printer',
      sort: 'priority',
      order: 'desc',
    };
    const r = await app.as(alice).post('/api/v1/views', { name: 'My queue', filters });
    expect(r.statusCode).toBe(201);
    const v = r.json();
    expect(v).toMatchObject({ name: 'My queue', filters, version: 1 });
    expect((await app.as(alice).post('/api/v1/views', { name: 'my QUEUE', filters: {} })).json().code).toBe(
      'name_taken',
    );
    expect((await app.as(bob).post('/api/v1/views', { name: 'My queue', filters: {} })).statusCode).toBe(201);
    expect((await app.as(bob).get(`/api/v1/views/${v.id}`)).statusCode).toBe(404);
    expect(
      (await app.as(bob).patch(`/api/v1/views/${v.id}`, { name: 'x' }, { 'if-match': '"v1"' })).statusCode,
    ).toBe(404);
    expect((await app.as(bob).delete(`/api/v1/views/${v.id}`)).statusCode).toBe(404);
    expect((await app.as(alice).get('/api/v1/views')).json().items.map((x: { id: string }) => x.id)).toEqual([
      v.id,
    ]);
    const bad = await app.as(alice).post('/api/v1/views', { name: 'Bad', filters: { status: ['nope'] } });
    expect(bad.statusCode).toBe(400);
    const up = await app
      .as(alice)
      .patch(`/api/v1/views/${v.id}`, { filters: { type: ['problem'] } }, { 'if-match': '"v1"' });
    expect(up.json()).toMatchObject({ filters: { type: ['problem'] }, version: 2 });
    expect(
      (await app.as(alice).patch(`/api/v1/views/${v.id}`, { name: 'y' }, { 'if-match': '"v1"' })).statusCode,
    ).toBe(412);
    expect((await app.as(alice).delete(`/api/v1/views/${v.id}`)).statusCode).toBe(204);
    expect((await app.as(alice).get('/api/v1/views')).json().items).toEqual([]);
  });
});
