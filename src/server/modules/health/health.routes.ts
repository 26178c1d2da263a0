import { z } from 'zod';
import type { App } from '../../platform/http.js';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({ kind: z.string(), status: z.enum(['up', 'down']), latencyMs: z.number().nullable() }),
});

/** GET /api/health: public liveness and database state. */
export function healthRoutes(app: App, probe: () => Promise<void>, kind: string, version: string): void {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'Health', response: { 200: Health, 503: Health } },
    },
    async (_req, reply) => {
      const t0 = performance.now();
      try {
        await probe();
        return {
          status: 'ok' as const,
          version,
          database: { kind, status: 'up' as const, latencyMs: performance.now() - t0 },
        };
      } catch {
        return reply
          .code(503)
          .send({ status: 'degraded', version, database: { kind, status: 'down', latencyMs: null } });
      }
    },
  );
}
