import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';
import { catchUp, dailyFromScratch, dailyStored, rebuildAll } from './index.js';

/** A small deterministic random source (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('KPI aggregates', () => {
  let app: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  let rita: TestUser;
  const teams: string[] = [];
  const services: string[] = [];
  const tickets: string[] = [];

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    [ann, bob, rita] = await Promise.all([
      app.user('agent', { name: 'Ann Agent' }),
      app.user('agent', { name: 'Bob Builder' }),
      app.user('requester', { name: 'Rita Requester' }),
    ]);
    for (const name of ['Desk', 'Ops']) {
      const members = [ann.id, bob.id];
      teams.push((await app.as(app.admin).post('/api/v1/teams', { name, memberIds: members })).json().id);
    }
    for (const name of ['Mail', 'ERP']) {
      services.push((await app.as(app.admin).post('/api/v1/cis', { classKey: 'service', name })).json().id);
    }
  });
  afterAll(async () => app?.close());

  it('equal a computation from scratch after random changes, caught up in parallel', async () => {
    const rnd = random(28);
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
    const db = app.database.db;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 8; i++) {
        const r = await app.as(ann).post('/api/v1/tickets', {
          type: pick(['incident', 'request'] as const),
          title: `Ticket ${round}.${i}`,
          requesterId: rita.id,
          ...(rnd() < 0.8 ? { teamId: pick(teams) } : {}),
          ...(rnd() < 0.5 ? { ciIds: [pick(services)] } : {}),
        });
        expect(r.statusCode, r.body).toBe(201);
        tickets.push(r.json().id);
      }
      for (let i = 0; i < 20; i++) {
        const id = pick(tickets);
        const as = app.as(pick([ann, bob]));
        const action = pick(['reply', 'resolve', 'cancel', 'move', 'reopen', 'rate', 'link'] as const);
        const t = (await as.get(`/api/v1/tickets/${id}`)).json();
        if (action === 'reply') await as.post(`/api/v1/tickets/${id}/comments`, { body: 'Looking' });
        if (action === 'resolve') await as.post(`/api/v1/tickets/${id}/transition`, { status: 'resolved' });
        if (action === 'cancel') await as.post(`/api/v1/tickets/${id}/transition`, { status: 'cancelled' });
        if (action === 'move') {
          await as.patch(`/api/v1/tickets/${id}`, { teamId: pick(teams) }, { 'if-match': `"v${t.version}"` });
        }
        if (action === 'reopen') await app.as(rita).post(`/api/v1/tickets/${id}/reopen`, {});
        if (action === 'rate') {
          await app.as(rita).post(`/api/v1/tickets/${id}/confirm`, { rating: 1 + Math.floor(rnd() * 5) });
        }
        if (action === 'link') await as.post(`/api/v1/tickets/${id}/cis`, { ciId: pick(services) });
      }
      // Several catch-ups at once take disjoint tickets and move shared day rows without losing a change.
      await Promise.all([1, 2, 3].map(() => catchUp(app.server.ctx, 100, 3)));
      expect(await dailyStored(db)).toEqual(await dailyFromScratch(db));
    }
    const before = await dailyStored(db);
    await app.server.ctx.tx((tx) => rebuildAll(tx));
    expect(await dailyStored(db)).toEqual(before);
  });
});
