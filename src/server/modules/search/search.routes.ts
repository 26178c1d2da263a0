import { GlobalSearchQuery, GlobalSearchResult, Problem } from '../../../contracts/index.js';
import { actorOf, type App } from '../../platform/http.js';
import type { Deps } from '../deps.js';
import { type ArticleSearch, globalSearch } from './search.service.js';

/**
 * GET /api/v1/search: the global search box (tickets, people, items, articles), as far as the caller may see;
 * `articles` is the knowledge module's search, handed over by main.ts.
 */
export function searchRoutes(app: App, { ctx }: Deps, parts: { articles: ArticleSearch }): void {
  app.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search tickets, people, items and articles',
        querystring: GlobalSearchQuery,
        response: { 200: GlobalSearchResult, 400: Problem },
      },
    },
    async (req) => globalSearch(ctx, actorOf(req), req.query.q, parts.articles),
  );
}
