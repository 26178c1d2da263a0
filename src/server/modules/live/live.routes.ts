import { PassThrough } from 'node:stream';
import { IdParams, PresenceBeat, Problem, TicketPresence } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { actorOf, type App } from '../../platform/http.js';
import type { LiveHub } from './hub.js';
import { beat, presenceOf } from './live.service.js';

/** A stream ends after this long; the browser's EventSource reconnects, and the caller is authenticated again. */
const STREAM_MS = 10 * 60_000;
/** A comment line this often keeps proxies from closing an idle stream. */
const PING_MS = 25_000;

/** GET /api/v1/events (server-sent events) and ticket presence. */
export function liveRoutes(app: App, ctx: Ctx, hub: LiveHub): void {
  const tags = ['live'];
  app.get(
    '/api/v1/events',
    {
      schema: {
        tags,
        summary:
          'Live updates as server-sent events: `ticket` (a ticket you may see changed) and `presence` (agents)',
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const stream = new PassThrough();
      const write = (text: string) => {
        if (!stream.writableEnded) stream.write(text);
      };
      const unsubscribe = hub.subscribe({
        actor,
        send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        end: () => stream.end(),
      });
      const ping = setInterval(() => write(': ping\n\n'), PING_MS);
      const end = setTimeout(() => stream.end(), STREAM_MS);
      const stop = () => {
        unsubscribe();
        clearInterval(ping);
        clearTimeout(end);
        stream.end();
      };
      req.raw.once('close', stop);
      stream.once('close', stop);
      // The first bytes tell the client the stream is open (and how soon to reconnect after it ends).
      write('retry: 3000\n: open\n\n');
      return (
        reply
          .header('Content-Type', 'text/event-stream; charset=utf-8')
          .header('Cache-Control', 'no-store')
          .header('X-Accel-Buffering', 'no')
          // A stream's connection is not reused: closed with the stream, it never holds up a server shutdown.
          .header('Connection', 'close')
          .send(stream)
      );
    },
  );
  app.get(
    '/api/v1/tickets/:id/presence',
    {
      schema: {
        tags,
        summary: 'Who else is viewing or replying to a ticket (agents)',
        params: IdParams,
        response: { 200: TicketPresence, 404: Problem },
      },
    },
    async (req) => presenceOf(ctx, hub, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/tickets/:id/presence',
    {
      schema: {
        tags,
        summary: 'Say I am viewing or replying to a ticket (a heartbeat every 15 s; lapses after 45 s)',
        params: IdParams,
        body: PresenceBeat,
        response: { 200: TicketPresence, 400: Problem, 403: Problem, 404: Problem },
      },
    },
    async (req) => beat(ctx, hub, actorOf(req), req.params.id, req.body.state),
  );
}
