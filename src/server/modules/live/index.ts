import type { Database } from '../../db/connect.js';
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { LIVE_CHANNEL, LiveHub } from './hub.js';
import { liveRoutes } from './live.routes.js';

export { LIVE_CHANNEL, LiveHub } from './hub.js';

/**
 * Live updates (issue 24): a hub fed by LISTEN on {@link LIVE_CHANNEL} (PostgreSQL and PGlite alike; the
 * tickets' triggers notify in each write's transaction), the event stream and presence routes.
 */
export function createLiveModule(deps: { ctx: Ctx; database: Database; onError: (err: unknown) => void }) {
  const hub = new LiveHub(deps.ctx, deps.onError);
  const stopListening = deps.database.listen?.(LIVE_CHANNEL, {
    notify: (payload) => hub.heard(payload),
    state: () => undefined,
  });
  const sweeper = setInterval(() => hub.sweep(), 5_000);
  sweeper.unref();
  return {
    hub,
    routes: (app: App) => liveRoutes(app, deps.ctx, hub),
    async close() {
      clearInterval(sweeper);
      hub.close();
      await stopListening?.();
    },
  };
}
