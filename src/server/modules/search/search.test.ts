import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

interface Hit {
  id: string;
  key: string;
}
interface Result {
  goTo: Hit | null;
  tickets: Hit[];
  people: { id: string; name: string }[];
  items: { id: string; name: string }[];
}

describe('search', () => {
  let app: TestApp;
  let rita: TestUser;
  let other: TestUser;
  let agent: TestUser;
  const t: Record<string, Hit> = {};

  beforeAll(async () => {
    app = await setup();
    [rita, other, agent] = await Promise.all([
      app.user('requester', { name: 'Rita Requester', email: 'rita@example.com' }),
      app.user('requester', { name: 'Otto Other' }),
      app.user('agent', { name: 'Quentin Quill' }),
    ]);
    const open = async (as: TestUser, body: Record<string, unknown>) => {
      const r = await app.as(as).post('/api/v1/tickets', body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json<Hit>();
    };
    t.wifi = await open(rita, { type: 'incident', title: 'The Wi-Fi drops in room 4' });
    t.jams = await open(other, { type: 'incident', title: 'Printer jams on every page' });
    t.request = await open(agent, { type: 'request', title: 'New keyboard', requesterId: other.id });
    t.note = await open(agent, { type: 'problem', title: 'Flaky switch', requesterId: rita.id });
    await app
      .as(agent)
      .post(`/api/v1/tickets/${t.note.id}/comments`, { body: 'cross-over cable suspected', internal: true });
    const item = await app
      .as(app.admin)
      .post('/api/v1/cis', { classKey: 'laptop', name: 'Quillbook Pro 14' });
    expect(item.statusCode, item.body).toBe(201);
  });
  afterAll(async () => app.close());

  const search = async (as: TestUser | { token: string }, q: string): Promise<Result> => {
    const r = await app.as(as).get(`/api/v1/search?q=${encodeURIComponent(q)}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const keys = (r: { tickets: Hit[] }) => r.tickets.map((x) => x.key).sort();

  it('goes straight to a ticket by its number, written either way', async () => {
    expect((await search(app.admin, t.wifi!.key)).goTo?.id).toBe(t.wifi!.id);
    expect((await search(app.admin, t.wifi!.key.toLowerCase())).goTo?.id).toBe(t.wifi!.id);
    // INC-1 and REQ-1 both exist: a bare 1 lists both and opens neither
    const one = await search(app.admin, '1');
    expect(one.goTo).toBeNull();
    expect(keys(one)).toEqual(expect.arrayContaining(['INC-1', 'REQ-1']));
    expect((await search(app.admin, '#2')).goTo?.key).toBe('INC-2');
  });

  it('matches words written another way, and their beginnings and variants', async () => {
    for (const q of ['wifi', 'WiFi', 'wi-fi', 'Wi Fi', 'wif'])
      expect(keys(await search(app.admin, q)), q).toEqual([t.wifi!.key]);
    for (const q of ['jam', 'jams', 'jammed', 'print'])
      expect(keys(await search(app.admin, q)), q).toEqual([t.jams!.key]);
    // the ticket list's own search box uses the same rules, and keeps phrases and exclusions exact
    const list = async (q: string) =>
      (await app.as(app.admin).get(`/api/v1/tickets?q=${encodeURIComponent(q)}`))
        .json()
        .items.map((x: Hit) => x.key);
    expect(await list('wifi room')).toEqual([t.wifi!.key]);
    expect(await list('"jams on every"')).toEqual([t.jams!.key]);
    expect(await list('"every jams"')).toEqual([]);
    expect(await list('printer -jams')).toEqual([]);
    expect((await list('wifi or keyboard')).sort()).toEqual([t.wifi!.key, t.request!.key].sort());
    expect(await list('crossover')).toEqual([t.note!.key]);
  });

  it('finds people and items for agents, with their tickets', async () => {
    const r = await search(agent, 'quill');
    expect(r.people.map((p) => p.name)).toEqual(['Quentin Quill']);
    expect(r.items.map((i) => i.name)).toEqual(['Quillbook Pro 14']);
    expect((await search(agent, 'rita')).people.map((p) => p.name)).toEqual(['Rita Requester']);
  });

  it('shows a requester only their own tickets, no people, no items, and no internal notes', async () => {
    const r = await search(rita, 'quill');
    expect([r.people, r.items]).toEqual([[], []]);
    expect(keys(await search(rita, 'jams'))).toEqual([]);
    expect((await search(rita, t.jams!.key)).goTo).toBeNull();
    expect((await search(rita, t.wifi!.key)).goTo?.id).toBe(t.wifi!.id);
    expect(keys(await search(rita, 'crossover'))).toEqual([]);
    expect(keys(await search(agent, 'crossover'))).toEqual([t.note!.key]);
  });

  it('rejects empty, oversized and malformed searches', async () => {
    for (const q of ['', '%20%20', 'x'.repeat(201), 'a%00b']) {
      const r = await app.as(app.admin).get(`/api/v1/search?q=${q}`);
      expect(r.statusCode, q).toBe(400);
    }
    // punctuation alone finds nothing rather than failing
    expect((await search(app.admin, '-- ""')).tickets).toEqual([]);
    expect((await app.as(app.admin).get('/api/v1/search?q=x')).statusCode).toBe(200);
  });

  it('is private', async () => {
    expect((await app.as({ token: 'nope' }).get('/api/v1/search?q=wifi')).statusCode).toBe(401);
  });
});
