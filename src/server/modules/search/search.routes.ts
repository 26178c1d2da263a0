import { GlobalSearchQuery, GlobalSearchResult, Problem } from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import type { Deps } from '../deps.js';
import { globalSearch } from './search.service.js';

/** GET /api/v1/search: the global search box (tickets, people, items), as far as the caller may see. */
export function searchRoutes(app: App, { ctx }: Deps): void {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search tickets, people and items',
        querystring: GlobalSearchQuery,
        response: { 200: GlobalSearchResult, 400: Problem },
      },
    },
    async (req) => globalSearch(ctx, actorOf(req), req.query.q),
  );
}
