import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';

describe('categories', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
  });
  afterAll(async () => app.close());

  const create = (body: Record<string, unknown>) => app.as(app.admin).post('/api/v1/categories', body);

  it('builds a tree with names unique among siblings, audited', async () => {
    const hw = (await create({ name: 'Hardware' })).json();
    const laptops = await create({ name: 'Laptops', parentId: hw.id });
    expect(laptops.statusCode).toBe(201);
    expect(laptops.json()).toMatchObject({ parentId: hw.id, version: 1 });
    expect((await create({ name: 'LAPTOPS', parentId: hw.id })).json().code).toBe('name_taken');
    expect((await create({ name: 'hardware' })).json().code).toBe('name_taken');
    const sw = (await create({ name: 'Software' })).json();
    expect((await create({ name: 'Laptops', parentId: sw.id })).statusCode).toBe(201);
    const ghost = await create({ name: 'X', parentId: '00000000-0000-4000-8000-000000000000' });
    expect(ghost.statusCode).toBe(400);
    const children = (await app.as(app.admin).get(`/api/v1/categories?parentId=${hw.id}`)).json();
    expect(children.items.map((c: { name: string }) => c.name)).toEqual(['Laptops']);
    const roots = (await app.as(app.admin).get('/api/v1/categories?parentId=root')).json();
    expect(roots.items.map((c: { name: string }) => c.name)).toEqual(['Hardware', 'Software']);
    const audit = (await app.as(app.admin).get(`/api/v1/audit?entityType=category&entityId=${hw.id}`)).json();
    expect(audit.items[0].action).toBe('category.created');
  });

  it('refuses cycles, stale writes and deleting what is in use', async () => {
    const a = (await create({ name: 'A' })).json();
    const b = (await create({ name: 'B', parentId: a.id })).json();
    const c = (await create({ name: 'C', parentId: b.id })).json();
    const url = `/api/v1/categories/${a.id}`;
    const self = await app.as(app.admin).patch(url, { parentId: a.id }, { 'if-match': '"v1"' });
    expect(self.json().code).toBe('category_cycle');
    const under = await app.as(app.admin).patch(url, { parentId: c.id }, { 'if-match': '"v1"' });
    expect(under.json().code).toBe('category_cycle');
    const moved = await app
      .as(app.admin)
      .patch(`/api/v1/categories/${c.id}`, { parentId: null }, { 'if-match': '"v1"' });
    expect(moved.json()).toMatchObject({ parentId: null, version: 2 });
    expect(
      (await app.as(app.admin).patch(`/api/v1/categories/${c.id}`, { name: 'Z' }, { 'if-match': '"v1"' }))
        .statusCode,
    ).toBe(412);
    expect((await app.as(app.admin).patch(`/api/v1/categories/${c.id}`, { name: 'Z' })).statusCode).toBe(428);
    expect((await app.as(app.admin).delete(url)).json().code).toBe('in_use');
    await app.as(app.admin).post('/api/v1/tickets', { type: 'incident', title: 'x', categoryId: b.id });
    expect((await app.as(app.admin).delete(`/api/v1/categories/${b.id}`)).json().code).toBe('in_use');
    expect((await app.as(app.admin).delete(`/api/v1/categories/${c.id}`)).statusCode).toBe(204);
    expect((await app.as(app.admin).get(`/api/v1/categories/${c.id}`)).statusCode).toBe(404);
  });

  it('lets everyone read the tree and only admins change it', async () => {
    const req = await app.user('requester');
    const agent = await app.user('agent');
    expect((await app.as(req).get('/api/v1/categories')).statusCode).toBe(200);
    expect((await app.as(agent).post('/api/v1/categories', { name: 'Mine' })).statusCode).toBe(403);
    expect((await app.as(req).post('/api/v1/categories', { name: 'Mine' })).statusCode).toBe(403);
  });
});
