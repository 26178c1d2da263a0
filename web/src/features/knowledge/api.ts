// Queries and mutations of the knowledge base: lists and search, an article, its moves, votes, edits,
// versions and diffs, and policy acknowledgement.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Article,
  ArticleDiff,
  ArticleKind,
  ArticleSummary,
  ArticleVersionInfo,
  CampaignProgress,
  CreateArticle,
  PendingAcknowledgement,
  StartCampaign,
  UpdateArticle,
} from '@contracts';
import { api, isApiError, type Page } from '../../api/client';

const BASE = '/api/v1/kb/articles';
const enc = encodeURIComponent;

/** The address of an article's page. */
export const articlePath = (id: string) => `/kb/${enc(id)}`;

/** Published articles (or, for authors, every article), searched and filtered, page by page. */
export function useArticles(f: { q: string; kind: ArticleKind | ''; working: boolean; flagged?: boolean }) {
  return useInfiniteQuery({
    queryKey: ['kb', 'list', f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ArticleSummary>>(
        BASE,
        {
          q: f.q.trim() || undefined,
          kind: f.kind || undefined,
          scope: f.working ? 'working' : undefined,
          ...(f.flagged ? { flagged: 'true', owner: 'me' } : {}),
          cursor: pageParam,
          limit: 25,
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One article, with its ETag for an edit. */
export function useArticle(id: string) {
  return useQuery({
    queryKey: ['kb', 'one', id],
    queryFn: ({ signal }) => api.getTagged<Article>(`${BASE}/${enc(id)}`, signal),
  });
}

/** Writes a new draft. */
export function useCreateArticle() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateArticle) => api.post<Article>(BASE, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kb'] }),
  });
}

/** Moves, votes, acknowledges or edits: each answers with the article as it is now. */
export function useArticleAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (
      a:
        | { path: 'transitions' | 'approvals' | 'acknowledgements'; body?: Record<string, unknown> }
        | { edit: UpdateArticle; etag: string },
    ) =>
      'edit' in a
        ? (await api.patch<Article>(`${BASE}/${enc(id)}`, a.edit, a.etag)).data
        : api.post<Article>(`${BASE}/${enc(id)}/${a.path}`, a.body ?? {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kb'] }),
  });
}

export function useVersions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['kb', 'versions', id],
    enabled,
    queryFn: ({ signal }) =>
      api.get<{ items: ArticleVersionInfo[] }>(`${BASE}/${enc(id)}/versions`, undefined, signal),
  });
}

export function useDiff(id: string, from: number, to: number) {
  return useQuery({
    queryKey: ['kb', 'diff', id, from, to],
    enabled: from > 0 && to > 0,
    queryFn: ({ signal }) => api.get<ArticleDiff>(`${BASE}/${enc(id)}/diff`, { from, to }, signal),
  });
}

/** A policy's campaign progress (managers and admins); null when it has none. */
export function useCampaign(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['kb', 'campaign', id],
    enabled,
    retry: false,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<CampaignProgress>(`${BASE}/${enc(id)}/campaign`, undefined, signal);
      } catch (e) {
        if (isApiError(e, 'not_found')) return null;
        throw e;
      }
    },
  });
}

export function useStartCampaign(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: StartCampaign) => api.put<CampaignProgress>(`${BASE}/${enc(id)}/campaign`, b),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kb'] }),
  });
}

/** The policies waiting for my acknowledgement. */
export function useMyAcknowledgements() {
  return useQuery({
    queryKey: ['kb', 'mine'],
    queryFn: ({ signal }) =>
      api.get<{ items: PendingAcknowledgement[] }>('/api/v1/kb/acknowledgements', undefined, signal),
  });
}
