import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';

const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** The change success rate counts a change on the day it was closed (changes.closed_at), not its last edit. */
describe('change success KPI', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
  });
  afterAll(async () => app.close());

  it('counts changes by when they were closed, however late they were last touched', async () => {
    const open = async (title: string) => {
      const r = await app.as(app.admin).post('/api/v1/changes', {
        type: 'normal',
        title,
        plannedStart: '2034-01-02T10:00:00Z',
        plannedEnd: '2034-01-02T11:00:00Z',
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const [ok, bad] = [await open('Patch the mail relay'), await open('Move the file share')];
    // Closed 40 days ago, both edited today (a late note): the edit must not move them into this week.
    for (const [id, outcome] of [
      [ok, 'successful'],
      [bad, 'failed'],
    ] as const) {
      await sql`UPDATE changes SET status = 'closed', outcome = ${outcome},
        closed_at = now() - interval '40 days', updated_at = now() WHERE id = ${id}`.execute(app.database.db);
    }
    const kpi = async (from: string, to: string) => {
      const r = await app.as(app.admin).get(`/api/v1/kpis/change_success?from=${from}&to=${to}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const then = await kpi(day(45), day(35));
    expect(then).toMatchObject({ count: 2, hits: 1, value: 0.5 });
    const now = await kpi(day(6), day(0));
    expect(now).toMatchObject({ count: 0, value: null });
    const items = await app
      .as(app.admin)
      .get(`/api/v1/kpis/change_success/items?from=${day(45)}&to=${day(35)}`);
    expect(items.json().total).toBe(2);
  });
});
