import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../test/support/api.js';
import { type CursorPart, decodeCursor, encodeCursor } from './pagination.js';

const UUID = '00000000-0000-4000-8000-000000000000';
const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A value of each part type that the list's SQL cast takes. */
const GOOD: Record<Exclude<CursorPart, { literal: string }>, unknown> = {
  text: 'some name',
  uuid: UUID,
  timestamp: '2026-02-28T23:59:59.123456Z',
  smallint: 3,
  integer: 42,
  bigint: '12',
  real: 0.5,
};

/** Well-formed but forged values of each part type: each failed a cast in the database (a 500) before. */
const FORGED: Record<Exclude<CursorPart, { literal: string }>, unknown[]> = {
  text: ['a\u0000b', '\ud800', 'x'.repeat(401), 7, null],
  uuid: ['not-a-uuid', `${UUID}0`, 1],
  timestamp: [
    '2026-13-01T00:00:00.000000Z',
    '2026-02-30T00:00:00.000000Z',
    '2026-02-29T00:00:00.000000Z',
    '2026-01-01T24:00:00.000000Z',
    '0000-01-01T00:00:00.000000Z',
    '2026-01-01',
    1e20,
  ],
  smallint: [40_000, 1.5, 1e300, '3', -32_769],
  integer: [2 ** 31, 1.5, 1e20, '42', Number.MAX_SAFE_INTEGER + 2],
  bigint: ['99999999999999999999', '9223372036854775808', '-1', 'abc', 12],
  real: [1e300, 1e-300, -1e39, '0.5'],
};

/** Each way to spoil a cursor of these parts: whole-cursor forgeries, then each part forged in turn. */
function forgeries(parts: readonly CursorPart[]): string[] {
  const good = parts.map((p) => (typeof p === 'object' ? p.literal : GOOD[p]));
  const out = ['nonsense', cursorOf({}), cursorOf([...good, 1]), cursorOf(good.slice(1)), cursorOf('x')];
  parts.forEach((p, i) => {
    const bad = typeof p === 'object' ? [`${p.literal}x`, 1] : FORGED[p];
    for (const b of bad) out.push(cursorOf(good.map((g, j) => (j === i ? b : g))));
  });
  return out;
}

describe('cursors of every paged list', () => {
  let app: TestApp;
  let lists: { url: string; parts: readonly CursorPart[] }[];
  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    const as = app.as(app.admin);
    const ci = async (name: string) => (await as.post('/api/v1/cis', { classKey: 'server', name })).json();
    // Names at their longest in a script of three UTF-8 bytes a character: the cursor must still fit the query.
    const long = (c: string) => ci(`${'漢'.repeat(199)}${c}`);
    const [host, a, b] = [await ci('host'), await long('a'), await long('b')];
    await as.post(`/api/v1/cis/${host.id}/relationships`, { type: 'depends_on', toId: a.id });
    await as.post(`/api/v1/cis/${host.id}/relationships`, { type: 'depends_on', toId: b.id });
    const ticket = (await as.post('/api/v1/tickets', { type: 'incident', title: 'printer jam' })).json();
    await as.post('/api/v1/tickets', { type: 'incident', title: 'printer out of toner' });
    for (const body of ['first', 'second']) await as.post(`/api/v1/tickets/${ticket.id}/comments`, { body });
    for (const name of ['one', 'two']) {
      await as.post('/api/v1/teams', { name });
      await as.post('/api/v1/categories', { name });
      await as.post('/api/v1/views', { name, filters: {} });
    }
    await app.user('agent');
    const tickets = (sort: string, t: CursorPart) => ({
      url: `/api/v1/tickets?sort=${sort}&order=asc${sort === 'relevance' ? '&q=printer' : ''}`,
      parts: [{ literal: sort }, { literal: 'asc' }, t, 'uuid'] as const,
    });
    const byName = ['text', 'uuid'] as const;
    lists = [
      { url: '/api/v1/users?', parts: byName },
      { url: '/api/v1/teams?', parts: byName },
      { url: '/api/v1/categories?', parts: byName },
      { url: '/api/v1/views?', parts: byName },
      { url: '/api/v1/cis?', parts: byName },
      { url: `/api/v1/cis/${host.id}/relationships?`, parts: ['text', 'text', 'uuid'] },
      { url: '/api/v1/agents?', parts: ['timestamp', 'uuid'] },
      { url: '/api/v1/notifications?', parts: ['bigint'] },
      { url: `/api/v1/tickets/${ticket.id}/timeline?`, parts: ['bigint'] },
      { url: '/api/v1/admin/jobs?', parts: ['bigint'] },
      ...['created', 'updated', 'response_due', 'resolution_due'].map((s) => tickets(s, 'timestamp')),
      tickets('priority', 'smallint'),
      tickets('number', 'integer'),
      tickets('relevance', 'real'),
    ];
  });
  afterAll(async () => app.close());

  const get = (url: string) => app.as(app.admin).get(url);

  it('answers every forged cursor with 400 invalid_cursor, and takes a well-typed one', async () => {
    const failures: string[] = [];
    for (const { url, parts } of lists) {
      for (const c of forgeries(parts)) {
        const r = await get(`${url}&cursor=${c}`);
        if (r.statusCode !== 400 || r.json<{ code: string }>().code !== 'invalid_cursor') {
          const shown = Buffer.from(c, 'base64url').toString('utf8').slice(0, 80);
          failures.push(`${url} ${shown}: ${r.statusCode} ${r.body.slice(0, 80)}`);
        }
      }
      const good = cursorOf(parts.map((p) => (typeof p === 'object' ? p.literal : GOOD[p])));
      const ok = await get(`${url}&cursor=${good}`);
      if (ok.statusCode !== 200) failures.push(`${url} well-typed: ${ok.statusCode} ${ok.body.slice(0, 80)}`);
    }
    expect(failures).toEqual([]);
  });

  it('follows the cursors each list makes, one item a page', async () => {
    for (const { url } of lists) {
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await get(`${url}&limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
        expect(r.statusCode, `${url} page ${pages}`).toBe(200);
        cursor = r.json<{ nextCursor: string | null }>().nextCursor;
        pages++;
      } while (cursor !== null && pages < 50);
      expect(pages, url).toBeLessThan(50);
    }
  });

  it('refuses a cursor of another sort or direction', async () => {
    const first = (await get('/api/v1/tickets?sort=number&order=asc&limit=1')).json();
    const other = await get(`/api/v1/tickets?sort=number&order=desc&cursor=${first.nextCursor}`);
    expect(other.json()).toMatchObject({ status: 400, code: 'invalid_cursor' });
  });
});

describe('decodeCursor', () => {
  it('types the parts it returns and round-trips what encodeCursor made', () => {
    const parts = ['timestamp', 'smallint', 'bigint', 'uuid'] as const;
    const v: [string, number, string, string] = [
      '2024-02-29T12:00:00.000001Z',
      -32_768,
      '9223372036854775807',
      UUID,
    ];
    const back = decodeCursor(encodeCursor(v), parts);
    expect(back).toEqual(v);
    expect(decodeCursor(undefined, parts)).toBeUndefined();
  });
});
