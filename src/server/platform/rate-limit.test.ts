import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../test/support/api.js';
import { RateLimiter } from './rate-limit.js';

describe('API rate limits', () => {
  let app: TestApp;
  let users: TestUser[];
  const get = (who: TestUser, address: string) =>
    app.server.app.inject({
      method: 'GET',
      url: `/api/v1/users/${who.id}`,
      headers: { authorization: `Bearer ${who.token}` },
      remoteAddress: address,
    });

  beforeAll(async () => {
    app = await setup({ STEWARD_API_RATE_PER_USER: '10', STEWARD_API_RATE_PER_ADDRESS: '25' });
    users = [];
    for (let i = 0; i < 5; i++) users.push(await app.user('agent'));
  });
  afterAll(async () => app?.close());

  it('lets one user make exactly the limit of 40 parallel requests, then answers 429 with Retry-After', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => get(users[0]!, '10.0.0.1')));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(30);
    const refused = answers.find((a) => a.statusCode === 429)!;
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(refused.json().detail).toContain('by this user');
    // The same user from another address is still limited; another user is not.
    expect((await get(users[0]!, '10.0.0.9')).statusCode).toBe(429);
    expect((await get(users[1]!, '10.0.0.9')).statusCode).toBe(200);
  });

  it('limits one address across users, counting only what it let through', async () => {
    const who = [users[1]!, users[2]!, users[3]!, users[4]!];
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => get(who[i % 4]!, '10.0.0.2')));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(25);
    const refused = answers.filter((a) => a.statusCode === 429);
    expect(refused).toHaveLength(15);
    expect(refused.every((a) => Number(a.headers['retry-after']) >= 1)).toBe(true);
    // Anonymous calls from that address are refused too; other addresses are not.
    const anon = await app.server.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      remoteAddress: '10.0.0.2',
    });
    expect(anon.statusCode).toBe(429);
    expect((await get(users[4]!, '10.0.0.3')).statusCode).toBe(200);
  });

  it('opens a new window once the old one ends', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ perUser: 2, perAddress: 0, windowMs: 60_000 }, () => now);
    limiter.take('u', 'a');
    limiter.take('u', 'a');
    now += 45_000;
    let caught: unknown;
    try {
      limiter.take('u', 'a');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ status: 429, retryAfter: 15 });
    now += 15_000;
    expect(() => limiter.take('u', 'a')).not.toThrow();
    // A limit of 0 is off.
    for (let i = 0; i < 100; i++) limiter.take(null, 'a');
  });
});
