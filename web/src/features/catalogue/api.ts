// Queries and mutations of the service catalogue: items (what one may request; admins every item), requests
// (mine, waiting for my vote, open tasks of my teams), votes and task completion.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CatalogueItem, CatalogueRequest, SaveItem, SubmitRequest } from '@contracts';
import { api, ApiError } from '../../api/client';

const BASE = '/api/v1/catalogue';
const enc = encodeURIComponent;

/** Which requests a list shows. */
export type RequestScope = 'mine' | 'approvals' | 'tasks' | 'all';

/** The address of a request's page. */
export const requestPath = (id: string) => `/catalogue/requests/${enc(id)}`;

/** The items the caller may request, or (admins, `all`) every item. */
export function useItems(scope: 'requestable' | 'all' = 'requestable') {
  return useQuery({
    queryKey: ['catalogue', 'items', scope],
    queryFn: ({ signal }) => api.get<{ items: CatalogueItem[] }>(`${BASE}/items`, { scope }, signal),
    select: (d) => d.items,
  });
}

/** One item with its ETag (for the editor). */
export function useItem(id: string | undefined) {
  return useQuery({
    queryKey: ['catalogue', 'item', id],
    queryFn: ({ signal }) => api.getTagged<CatalogueItem>(`${BASE}/items/${enc(id ?? '')}`, signal),
    enabled: id !== undefined,
  });
}

/** Adds an item, or saves one under its ETag. */
export function useSaveItem(id: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ item, etag }: { item: SaveItem; etag?: string | null | undefined }) =>
      id === undefined
        ? api.post<CatalogueItem>(`${BASE}/items`, item)
        : (await api.putTagged<CatalogueItem>(`${BASE}/items/${enc(id)}`, item, etag ?? '')).data,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['catalogue'] }),
  });
}

/** Requests an item with the form's answers. */
export function useSubmitRequest(itemId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmitRequest) =>
      api.post<CatalogueRequest>(`${BASE}/items/${enc(itemId)}/requests`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['catalogue', 'requests'] }),
  });
}

/** Requests in one of the lists people work from. */
export function useRequests(scope: RequestScope) {
  return useQuery({
    queryKey: ['catalogue', 'requests', scope],
    queryFn: ({ signal }) =>
      api.get<{ items: CatalogueRequest[] }>(`${BASE}/requests`, { scope, limit: 200 }, signal),
    select: (d) => d.items,
  });
}

/** One request. */
export function useRequest(id: string) {
  return useQuery({
    queryKey: ['catalogue', 'requests', 'one', id],
    queryFn: ({ signal }) => api.get<CatalogueRequest>(`${BASE}/requests/${enc(id)}`, undefined, signal),
  });
}

/** A vote, a task marked done, or a cancellation: each answers with the request as it is now. */
export function useRequestAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      a: { vote: 'approve' | 'reject'; reason: string } | { task: number; note: string } | { cancel: string },
    ): Promise<CatalogueRequest> =>
      'vote' in a
        ? api.post(`${BASE}/requests/${enc(id)}/votes`, { decision: a.vote, reason: a.reason })
        : 'task' in a
          ? api.post(`${BASE}/requests/${enc(id)}/tasks/${a.task}/complete`, { note: a.note })
          : api.post(`${BASE}/requests/${enc(id)}/cancel`, { reason: a.cancel }),
    onSuccess: (r) => {
      qc.setQueryData(['catalogue', 'requests', 'one', id], r);
      return qc.invalidateQueries({ queryKey: ['catalogue', 'requests'] });
    },
  });
}

/** The server's messages about the form's answers, by field key (`values.<key>`). */
export function answerErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.errors) {
    const [head, key] = e.path.split('.');
    if (head === 'values' && key && out[key] === undefined) out[key] = e.message;
  }
  return out;
}
