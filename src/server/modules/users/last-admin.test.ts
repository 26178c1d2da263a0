import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

/** The last-admin rule under concurrency: whatever runs at once, one active admin remains. */
describe('the last active admin, under parallel changes', () => {
  let app: TestApp;
  let other: TestUser;
  beforeAll(async () => {
    app = await setup();
    other = await app.user('admin');
  });
  afterAll(async () => app.close());

  const activeAdmins = async () =>
    (
      await app.database.db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('active', '=', true)
        .execute()
    ).length;

  /** Sends `patch` to every user in `targets` at once, each as `by(target)`, with the target's ETag. */
  async function inParallel(targets: TestUser[], by: (t: TestUser) => TestUser, patch: object) {
    const etags = await Promise.all(
      targets.map(async (t) => (await app.as(app.admin).get(`/api/v1/users/${t.id}`)).headers.etag as string),
    );
    return Promise.all(
      targets.map((t, i) => app.as(by(t)).patch(`/api/v1/users/${t.id}`, patch, { 'if-match': etags[i]! })),
    );
  }

  it('keeps one of two admins who deactivate each other at once', async () => {
    // Each round: the two admins deactivate each other at the same moment; one must be refused.
    for (let round = 0; round < 10; round++) {
      const [a, b] = [app.admin, other];
      const answers = await inParallel([a, b], (t) => (t === a ? b : a), { active: false });
      const codes = answers.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 409]);
      expect(answers.find((r) => r.statusCode === 409)?.json().code).toBe('last_admin');
      expect(await activeAdmins()).toBe(1);
      // Bring the deactivated one back for the next round, through the surviving admin.
      // answers[0] is b deactivating a.
      const off = answers[0]!.statusCode === 200 ? a : b;
      const on = off === a ? b : a;
      const cur = await app.as(on).get(`/api/v1/users/${off.id}`);
      const back = await app
        .as(on)
        .patch(`/api/v1/users/${off.id}`, { active: true }, { 'if-match': cur.headers.etag as string });
      expect(back.statusCode).toBe(200);
    }
  });

  it('keeps exactly one admin when every admin is demoted at once', async () => {
    const more = await Promise.all(Array.from({ length: 58 }, () => app.user('admin')));
    const admins = [app.admin, other, ...more];
    const before = await activeAdmins();
    expect(before).toBe(60);
    const answers = await inParallel(admins, (t) => t, { role: 'agent' });
    const codes = answers.map((r) => r.statusCode);
    expect(answers.filter((r) => r.statusCode !== 200 && r.statusCode !== 409).map((r) => r.body)).toEqual(
      [],
    );
    expect(await activeAdmins()).toBe(1);
    expect(codes.filter((c) => c === 200).length).toBe(before - 1);
  });
});
