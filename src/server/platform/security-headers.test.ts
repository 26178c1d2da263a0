// Every response, API or web app, carries the browser hardening headers: a Content-Security-Policy without
// 'unsafe-inline' that forbids framing and loads images only from the app itself, and a Referrer-Policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../test/support/api.js';

describe('security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await setup();
  });
  afterAll(async () => app.close());

  /** Checks the hardening headers of one response. */
  function expectHardened(
    headers: Record<string, string | string[] | number | undefined>,
    what: string,
  ): void {
    const csp = String(headers['content-security-policy'] ?? '');
    expect(csp, what).toContain("default-src 'self'");
    expect(csp, what).toContain("script-src 'self'");
    expect(csp, what).toContain("style-src 'self'");
    expect(csp, what).toContain("img-src 'self' data: blob:");
    expect(csp, what).toContain("frame-ancestors 'none'");
    expect(csp, what).toContain("object-src 'none'");
    expect(csp, what).not.toContain('unsafe-inline');
    expect(csp, what).not.toContain('unsafe-eval');
    expect(headers['referrer-policy'], what).toBe('no-referrer');
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(headers['x-content-type-options'], what).toBe('nosniff');
  }

  it('are on API answers of every kind: success, 401, 404, 400 and the API docs', async () => {
    const cases: [string, Awaited<ReturnType<TestApp['anonymous']['get']>>][] = [
      ['health', await app.anonymous.get('/api/health')],
      ['401', await app.anonymous.get('/api/v1/users')],
      ['404', await app.as(app.admin).get('/api/v1/nothing-here')],
      ['200', await app.as(app.admin).get('/api/v1/users')],
      ['400', await app.as(app.admin).post('/api/v1/users', { nope: 1 })],
      ['openapi', await app.anonymous.get('/api/openapi.json')],
    ];
    for (const [what, res] of cases) expectHardened(res.headers, what);
  });

  it('lets only the API reference (Swagger UI) apply inline styles; its scripts stay our own', async () => {
    const docs = await app.anonymous.get('/api/docs/');
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(docs.headers['referrer-policy']).toBe('no-referrer');
  });
});
