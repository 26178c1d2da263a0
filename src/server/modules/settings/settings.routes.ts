import { z } from 'zod';
import { DiscoverySettings, PriorityMatrix, Problem, ServiceDeskSettings } from '../../../contracts/index.js';
import { PreconditionRequired } from '../../platform/errors.js';
import { actorOf, type App } from '../../platform/http.js';
import { etagOf, versionFromIfMatch } from '../../platform/pagination.js';
import type { Deps } from '../deps.js';
import {
  DISCOVERY,
  getSetting,
  PRIORITY_MATRIX,
  putSetting,
  SERVICE_DESK,
  type SettingDef,
} from './settings.service.js';

const IfMatch = z.object({ 'if-match': z.string().max(100).optional() }).loose();

/** /api/v1/settings/priority-matrix, /api/v1/settings/service-desk and /api/v1/settings/discovery */
export function settingsRoutes(app: App, { ctx }: Deps): void {
  /** GET (with its ETag) and PUT (If-Match required) of one setting. */
  const setting = <T, B extends object>(
    path: string,
    def: SettingDef<T, B>,
    schema: z.ZodType<B>,
    summary: string,
  ) => {
    const tags = ['settings'];
    app.get(
      `/api/v1/settings/${path}`,
      { schema: { tags, summary, response: { 200: schema, 404: Problem } } },
      async (req, reply) => {
        const s = await getSetting(ctx, actorOf(req), def);
        return reply.header('ETag', etagOf(s.version)).send(s.value);
      },
    );
    app.put(
      `/api/v1/settings/${path}`,
      {
        schema: {
          tags,
          summary: `Replace: ${summary} (If-Match required)`,
          headers: IfMatch,
          body: schema,
          response: { 200: schema, 403: Problem, 404: Problem, 412: Problem, 428: Problem },
        },
      },
      async (req, reply) => {
        const version = versionFromIfMatch(req.headers['if-match']);
        if (version === undefined) throw PreconditionRequired();
        const s = await putSetting(ctx, actorOf(req), def, version, req.body as B);
        return reply.header('ETag', etagOf(s.version)).send(s.value);
      },
    );
  };
  setting(
    'priority-matrix',
    PRIORITY_MATRIX,
    PriorityMatrix,
    'The priority matrix: matrix[urgency-1][impact-1]',
  );
  setting('service-desk', SERVICE_DESK, ServiceDeskSettings, 'Service-desk settings');
  setting('discovery', DISCOVERY, DiscoverySettings, 'Bounds on discovery agent reports');
}
