import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../../test/support/api.js';

/** The sign-in lockout under concurrency: the limit is decided in the database, before any verification. */
describe('sign-in lockout under parallel guesses', () => {
  const MAX = 5;
  let app: TestApp;
  beforeAll(async () => {
    app = await setup({ STEWARD_LOGIN_MAX_FAILURES: String(MAX), STEWARD_LOGIN_LOCK_MINUTES: '15' });
  });
  afterAll(async () => app.close());

  const login = (email: string, password: string, ip: string) =>
    app.server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  const failedAudits = async (userId: string) =>
    (
      await app.as(app.admin).get(`/api/v1/audit?action=auth.login_failed&entityId=${userId}&limit=200`)
    ).json<{
      items: unknown[];
    }>().items.length;

  it('checks at most the limit of 200 parallel guesses from 200 addresses, and a right one among them fails', async () => {
    const u = await app.user('agent');
    const guesses = Array.from({ length: 200 }, (_, i) =>
      login(
        u.email,
        i === 100 ? u.password : `wrong guess ${i}`,
        `127.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      ),
    );
    const answers = await Promise.all(guesses);
    const codes = answers.map((r) => r.statusCode);
    const checked = codes.filter((c) => c === 401 || c === 200).length;
    expect(checked).toBeLessThanOrEqual(MAX);
    expect(codes.filter((c) => c !== 401 && c !== 200 && c !== 429)).toEqual([]);
    // The right password reached verification only if it was among the first MAX reserved attempts.
    const signedIn = codes.filter((c) => c === 200).length;
    expect(checked - signedIn).toBeLessThanOrEqual(MAX);
    expect(await failedAudits(u.id)).toBeLessThanOrEqual(MAX);
    if (signedIn === 0) {
      const after = await login(u.email, u.password, '127.0.9.9');
      expect(after.statusCode).toBe(429);
      expect(Number(after.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('locks after the limit of parallel wrong guesses, then refuses the right password', async () => {
    const u = await app.user('agent');
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(u.email, `wrong guess ${i}`, `127.1.0.${i + 1}`)),
    );
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBe(MAX);
    expect(codes.filter((c) => c === 429).length).toBe(60 - MAX);
    expect(await failedAudits(u.id)).toBe(MAX);
    const right = await login(u.email, u.password, '127.1.1.1');
    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe('too_many_attempts');
  });

  it('limits one address to four times the limit across accounts, whatever the concurrency', async () => {
    const accounts = await Promise.all(Array.from({ length: 8 }, () => app.user('requester')));
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(accounts[i % 8]!.email, `wrong guess ${i}`, '127.2.0.1')),
    );
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBe(4 * MAX);
    expect(codes.filter((c) => c === 429).length).toBe(60 - 4 * MAX);
  });

  it('does not count successful sign-ins against the address, and a success clears the account', async () => {
    const u = await app.user('requester');
    for (let i = 0; i < 4 * MAX + 2; i++) {
      expect((await login(u.email, u.password, '127.3.0.1')).statusCode).toBe(200);
    }
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < MAX - 1; i++) {
        expect((await login(u.email, 'not the password', '127.3.0.2')).statusCode).toBe(401);
      }
      expect((await login(u.email, u.password, '127.3.0.2')).statusCode).toBe(200);
    }
  });
});
