// Queries and mutations of the inventory: items, their history, relationships, tickets and impact graph.
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type {
  AuditEntry,
  Ci,
  CiClass,
  CiQuery,
  CiRelationship,
  CreateCi,
  CreateCiRelationship,
  Impact,
  Ticket,
  UpdateCi,
} from '@contracts';
import { api, type Page, type QueryParams, type Tagged } from '../../api/client';

const PAGE_SIZE = 50;
const base = (id: string) => `/api/v1/cis/${encodeURIComponent(id)}`;

/** The list filters the inventory page offers (a subset of the API's). */
export type CiFilter = Partial<
  Pick<CiQuery, 'classKey' | 'kind' | 'status' | 'teamId' | 'warrantyBefore' | 'q' | 'installations'>
>;

/** A relationship of an item with the item at its other end. */
export type RelatedItem = CiRelationship & { other: { id: string; name: string; classKey: string } };

/** The query string of a filter; empty values are left out by the client. */
export function ciFilterParams(f: CiFilter): QueryParams {
  return { ...f };
}

/** Items matching a filter, a keyset page at a time (by name). */
export function useCiList(filter: CiFilter) {
  return useInfiniteQuery({
    queryKey: ['cis', 'list', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Ci>>(
        '/api/v1/cis',
        { ...ciFilterParams(filter), cursor: pageParam, limit: PAGE_SIZE },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

/** A few items whose name, tag or serial matches `q` (for pickers); nothing until two characters are typed. */
export function useCiSearch(q: string, extra: CiFilter = {}) {
  return useQuery({
    queryKey: ['cis', 'search', q, extra],
    enabled: q.length >= 2,
    queryFn: ({ signal }) => api.get<Page<Ci>>('/api/v1/cis', { ...extra, q, limit: 8 }, signal),
    select: (p) => p.items,
  });
}

/** One item with its ETag. */
export function useCi(id: string) {
  return useQuery({
    queryKey: ['cis', 'one', id],
    queryFn: ({ signal }) => api.getTagged<Ci>(base(id), signal),
  });
}

/** The name of an item by id (for locations and links); cached with the item itself. */
export function useCiName(id: string | null) {
  return useQuery({
    queryKey: ['cis', 'one', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.getTagged<Ci>(base(id ?? ''), signal),
    select: (t: Tagged<Ci>) => t.data.name,
    staleTime: 60_000,
    retry: false,
  });
}

/** Every class (built in and added), for pickers and to render custom fields. */
export function useClasses() {
  return useQuery({
    queryKey: ['ci-classes'],
    queryFn: ({ signal }) => api.get<{ items: CiClass[] }>('/api/v1/ci-classes', undefined, signal),
    select: (r) => r.items,
    staleTime: 5 * 60_000,
  });
}

/** After a change to one item: store its new state and refresh what shows it. */
async function itemChanged(qc: QueryClient, id: string, tagged?: Tagged<Ci>): Promise<void> {
  if (tagged !== undefined) qc.setQueryData(['cis', 'one', id], tagged);
  await Promise.all([
    qc.invalidateQueries({ queryKey: ['cis', 'history', id] }),
    qc.invalidateQueries({ queryKey: ['cis', 'list'] }),
    qc.invalidateQueries({ queryKey: ['cis', 'impact', id] }),
  ]);
}

/** Creates an item. */
export function useCreateCi() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCi) => api.post<Ci>('/api/v1/cis', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['cis', 'list'] }),
  });
}

/** Changes an item under the ETag it was read with (412 `stale` when someone saved first). */
export function useUpdateCi(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, etag }: { patch: UpdateCi; etag: string }) => api.patch<Ci>(base(id), patch, etag),
    onSuccess: (tagged) => itemChanged(qc, id, tagged),
  });
}

/** Deletes a retired or disposed item. */
export function useDeleteCi(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(base(id)),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['cis', 'list'] }),
  });
}

/** An item's history, newest first, a page at a time. */
export function useCiHistory(id: string) {
  return useInfiniteQuery({
    queryKey: ['cis', 'history', id],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEntry>>(`${base(id)}/history`, { cursor: pageParam, limit: 25 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** An item's relationships, both directions, 200 at a time (a computer has one per installation). */
export function useRelationships(id: string) {
  return useInfiniteQuery({
    queryKey: ['cis', 'relationships', id],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<RelatedItem>>(`${base(id)}/relationships`, { cursor: pageParam, limit: 200 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    select: (r) => r.pages.flatMap((p) => p.items),
  });
}

/** After a relationship change: both ends' lists, graphs and histories. */
function relationshipsChanged(qc: QueryClient): Promise<unknown> {
  return Promise.all(
    ['relationships', 'impact', 'history'].map((k) => qc.invalidateQueries({ queryKey: ['cis', k] })),
  );
}

/** Relates this item to another: "this <type> toId". */
export function useAddRelationship(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCiRelationship) => api.post<CiRelationship>(`${base(id)}/relationships`, input),
    onSuccess: () => relationshipsChanged(qc),
  });
}

/** Removes a relationship of this item. */
export function useRemoveRelationship(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (relId: string) => api.delete(`${base(id)}/relationships/${encodeURIComponent(relId)}`),
    onSuccess: () => relationshipsChanged(qc),
  });
}

/** The open tickets about an item that the caller may see. */
export function useCiTickets(id: string) {
  return useQuery({
    queryKey: ['cis', 'tickets', id],
    queryFn: ({ signal }) => api.get<{ items: Ticket[] }>(`${base(id)}/tickets`, { open: 'true' }, signal),
    select: (r) => r.items,
  });
}

/** Which way impact analysis walks. */
export type ImpactDirection = 'dependents' | 'dependencies' | 'both';

/** The graph around an item to a depth. */
export function useImpact(id: string, direction: ImpactDirection, depth: number) {
  return useQuery({
    queryKey: ['cis', 'impact', id, direction, depth],
    queryFn: ({ signal }) => api.get<Impact>(`${base(id)}/impact`, { direction, depth }, signal),
    placeholderData: (prev) => prev,
  });
}

/** Items of location classes (up to 200), for the location picker. */
export function useLocations() {
  return useQuery({
    queryKey: ['cis', 'list', 'locations'],
    queryFn: ({ signal }) => api.get<Page<Ci>>('/api/v1/cis', { kind: 'location', limit: 200 }, signal),
    select: (p) => p.items,
    staleTime: 60_000,
  });
}
