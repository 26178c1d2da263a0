// Knowledge in the flow of work: portal suggestions and tickets avoided, a ticket's articles, "turn into
// article", a problem's known error, an article's items and changes, its review flag and its images.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Article,
  ArticleImage,
  ArticleSummary,
  AvoidedReport,
  CreateKnownError,
  Suggestion,
  TicketArticle,
} from '@contracts';
import { api, request, upload } from '../../api/client';

const enc = encodeURIComponent;
const ARTICLES = '/api/v1/kb/articles';

/** Published articles matching what the requester typed (nothing for fewer than three letters). */
export function useSuggestions(text: string) {
  const q = text.trim().slice(0, 500);
  return useQuery({
    queryKey: ['kb', 'suggestions', q],
    enabled: q.length >= 3,
    queryFn: ({ signal }) =>
      api.get<{ items: Suggestion[] }>('/api/v1/kb/suggestions', { q }, signal).then((r) => r.items),
    staleTime: 30_000,
  });
}

/** Notes that a suggestion was opened during this visit of the form. */
export const suggestionOpened = (sessionId: string, articleId: string) =>
  api.post<void>('/api/v1/kb/suggestions/opened', { sessionId, articleId });

/** Reports a ticket avoided; `left` is sent as the page goes away, so it may outlive it. */
export const ticketAvoided = (sessionId: string, articleId: string, how: 'solved' | 'left') =>
  request<{ counted: boolean }>('POST', '/api/v1/kb/avoided', {
    body: { sessionId, articleId, how },
    keepalive: how === 'left',
  });

/** Tickets avoided per article. */
export function useAvoidedReport(from: string, to: string) {
  return useQuery({
    queryKey: ['kb', 'avoided', from, to],
    queryFn: ({ signal }) =>
      api.get<AvoidedReport>(`/api/v1/kb/avoided?from=${enc(from)}&to=${enc(to)}`, undefined, signal),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to),
  });
}

/** The articles of a ticket. */
export function useTicketArticles(ticketId: string) {
  return useQuery({
    queryKey: ['kb', 'ticket', ticketId],
    queryFn: ({ signal }) =>
      api.get<{ items: TicketArticle[] }>(`/api/v1/tickets/${enc(ticketId)}/articles`, undefined, signal),
  });
}

/** Published articles an agent may link, by search. */
export function useArticleSearch(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: ['kb', 'link-search', text],
    enabled: text.length >= 2,
    queryFn: ({ signal }) =>
      api.get<{ items: ArticleSummary[] }>(ARTICLES, { q: text, limit: 8 }, signal).then((r) => r.items),
  });
}

/** Link, unlink, turn into article, known error: each refreshes the ticket's articles. */
export function useTicketArticleAction(ticketId: string) {
  const qc = useQueryClient();
  const base = `/api/v1/tickets/${enc(ticketId)}`;
  return useMutation({
    mutationFn: async (
      a:
        | { op: 'link'; articleId: string }
        | { op: 'unlink'; articleId: string }
        | { op: 'turn' }
        | { op: 'knownError'; body: CreateKnownError },
    ): Promise<Article | undefined> => {
      switch (a.op) {
        case 'link':
          await api.post(`${base}/articles`, { articleId: a.articleId });
          return undefined;
        case 'unlink':
          await request('DELETE', `${base}/articles/${enc(a.articleId)}`);
          return undefined;
        case 'turn':
          return api.post<Article>(`${base}/article`, {});
        case 'knownError':
          return api.post<Article>(`${base}/known-error`, a.body);
      }
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kb'] }),
  });
}

/** An article's items and changes, its review flag, its images. */
export function useArticleLinkAction(articleId: string) {
  const qc = useQueryClient();
  const base = `${ARTICLES}/${enc(articleId)}`;
  return useMutation({
    mutationFn: async (
      a:
        | { op: 'link'; type: 'item' | 'change'; id: string }
        | { op: 'unlink'; type: 'item' | 'change'; id: string }
        | { op: 'reviewed' }
        | { op: 'image'; file: File },
    ): Promise<ArticleImage | undefined> => {
      switch (a.op) {
        case 'link':
          await api.post(`${base}/targets`, { type: a.type, id: a.id });
          return undefined;
        case 'unlink':
          await request('DELETE', `${base}/targets/${a.type}/${enc(a.id)}`);
          return undefined;
        case 'reviewed':
          await api.post(`${base}/reviewed`);
          return undefined;
        case 'image': {
          const form = new FormData();
          form.append('file', a.file);
          return upload<ArticleImage>(`${base}/images`, form);
        }
      }
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kb'] }),
  });
}
