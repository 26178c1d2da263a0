import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp, type TestUser } from '../../../../test/support/api.js';

interface Event {
  event: string;
  data: unknown;
}

/** An open event stream as one user: the events so far, and a way to wait for one. */
async function stream(base: string, user: TestUser) {
  const ctl = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, {
    headers: { authorization: `Bearer ${user.token}` },
    signal: ctl.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: Event[] = [];
  const waiters: (() => void)[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  const pump = async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
        for (const w of waiters.splice(0)) w();
      }
    }
  };
  void pump();
  return {
    events,
    /** Waits (up to 15 s) for an event matching `pred`. */
    async waitFor(pred: (e: Event) => boolean): Promise<Event> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no such event; got ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    close: () => ctl.abort(),
  };
}

describe('live updates', () => {
  let app: TestApp;
  let base: string;
  let rita: TestUser;
  let sam: TestUser;
  let requester: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    app = await setup();
    [rita, sam, requester, stranger] = await Promise.all([
      app.user('agent', { name: 'Rita Agent' }),
      app.user('agent', { name: 'Sam Agent' }),
      app.user('requester'),
      app.user('requester'),
    ]);
    base = await app.server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => app.close());

  it('sends a change by one client to the other’s stream, never to someone who cannot see the ticket', async () => {
    const t = (await app.as(requester).post('/api/v1/tickets', { type: 'incident', title: 'VPN' })).json<{
      id: string;
    }>();
    const [ritas, requesters, strangers] = await Promise.all([
      stream(base, rita),
      stream(base, requester),
      stream(base, stranger),
    ]);
    // a change by Sam (an untriaged ticket is in every agent's queue)
    const r = await app.as(sam).post(`/api/v1/tickets/${t.id}/comments`, { body: 'On it', internal: true });
    expect(r.statusCode).toBe(201);
    await ritas.waitFor((e) => e.event === 'ticket' && (e.data as { id: string }).id === t.id);
    await requesters.waitFor((e) => e.event === 'ticket' && (e.data as { id: string }).id === t.id);
    // the stranger's stream is open and alive: a ticket of theirs arrives, the other never did
    const own = (await app.as(stranger).post('/api/v1/tickets', { type: 'request', title: 'Mouse' })).json<{
      id: string;
    }>();
    await strangers.waitFor((e) => e.event === 'ticket' && (e.data as { id: string }).id === own.id);
    expect(strangers.events.some((e) => (e.data as { id?: string }).id === t.id)).toBe(false);
    // the requester does not hear of the stranger's ticket either
    await ritas.waitFor((e) => e.event === 'ticket' && (e.data as { id: string }).id === own.id);
    expect(requesters.events.some((e) => (e.data as { id?: string }).id === own.id)).toBe(false);
    for (const s of [ritas, requesters, strangers]) s.close();
  });

  it('tells agents who else is viewing or replying, and forgets people who leave', async () => {
    const t = (await app.as(requester).post('/api/v1/tickets', { type: 'incident', title: 'Printer' })).json<{
      id: string;
    }>();
    const [ritas, requesters] = await Promise.all([stream(base, rita), stream(base, requester)]);
    const beat = await app.as(sam).put(`/api/v1/tickets/${t.id}/presence`, { state: 'replying' });
    expect(beat.statusCode).toBe(200);
    const seen = await ritas.waitFor((e) => e.event === 'presence');
    expect(seen.data).toEqual({
      ticketId: t.id,
      people: [{ userId: sam.id, name: 'Sam Agent', state: 'replying' }],
    });
    const mine = await app.as(rita).get(`/api/v1/tickets/${t.id}/presence`);
    expect(mine.json()).toEqual({
      ticketId: t.id,
      people: [{ userId: sam.id, name: 'Sam Agent', state: 'replying' }],
    });
    // Sam does not see himself
    expect((await app.as(sam).get(`/api/v1/tickets/${t.id}/presence`)).json().people).toEqual([]);
    await app.as(sam).put(`/api/v1/tickets/${t.id}/presence`, { state: 'gone' });
    await ritas.waitFor(
      (e) => e.event === 'presence' && (e.data as { people: unknown[] }).people.length === 0,
    );
    // requesters neither send nor receive presence; a ticket they cannot see is 404
    expect(
      (await app.as(requester).put(`/api/v1/tickets/${t.id}/presence`, { state: 'viewing' })).statusCode,
    ).toBe(403);
    expect(
      (await app.as(stranger).put(`/api/v1/tickets/${t.id}/presence`, { state: 'viewing' })).statusCode,
    ).toBe(404);
    expect(requesters.events.some((e) => e.event === 'presence')).toBe(false);
    expect((await app.as(sam).put(`/api/v1/tickets/${t.id}/presence`, { state: 'dancing' })).statusCode).toBe(
      400,
    );
    for (const s of [ritas, requesters]) s.close();
  });

  it('keeps the stream private', async () => {
    expect((await app.anonymous.get('/api/v1/events')).statusCode).toBe(401);
  });
});
