import type { RouteObject } from 'react-router-dom';

/** The knowledge base, loaded on first use: the list and search, a new article, an article. */
export const knowledgeRoutes: RouteObject[] = [
  { path: 'kb', lazy: async () => ({ Component: (await import('./KnowledgePage')).KnowledgePage }) },
  { path: 'kb/avoided', lazy: async () => ({ Component: (await import('./AvoidedPage')).AvoidedPage }) },
  { path: 'kb/new', lazy: async () => ({ Component: (await import('./NewArticlePage')).NewArticlePage }) },
  { path: 'kb/:id', lazy: async () => ({ Component: (await import('./ArticlePage')).ArticlePage }) },
];
