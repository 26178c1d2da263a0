// Queries and mutations of change management: the list, a change, its moves and votes, and the calendar.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Calendar,
  Change,
  ChangeOutcome,
  ChangeStats,
  ChangeStatus,
  ChangeSummary,
  CreateChange,
} from '@contracts';
import { api, type Page } from '../../api/client';

const CHANGES = '/api/v1/changes';
const enc = encodeURIComponent;

/** The address of a change's page. */
export const changePath = (id: string) => `/changes/${enc(id)}`;

/** What the change list is narrowed to (each optional); the success rates link to such lists. */
export interface ChangeFilter {
  status?: ChangeStatus | undefined;
  teamId?: string | undefined;
  templateId?: string | undefined;
  outcome?: ChangeOutcome | undefined;
  closedFrom?: string | undefined;
  closedTo?: string | undefined;
}

/** The filter keys a list address may carry. */
export const FILTER_KEYS = ['status', 'teamId', 'templateId', 'outcome', 'closedFrom', 'closedTo'] as const;

/** The address of the change list narrowed by `f`. */
export function changesListPath(f: ChangeFilter): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k]) q.set(k, f[k]);
  const s = q.toString();
  return s ? `/changes?${s}` : '/changes';
}

/** Changes, newest first, page by page, narrowed by `f`. */
export function useChangeList(f: ChangeFilter) {
  return useInfiniteQuery({
    queryKey: ['changes', 'list', f],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ChangeSummary>>(CHANGES, { ...f, cursor: pageParam, limit: 25 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Success rates per team and per template of the changes closed in [from, to). */
export function useChangeStats(from: string | undefined, to: string | undefined) {
  return useQuery({
    queryKey: ['changes', 'stats', from, to],
    queryFn: ({ signal }) => api.get<ChangeStats>('/api/v1/change-stats', { from, to }, signal),
  });
}

/** One change, with its risk reasons, conflicts and approvals. */
export function useChange(id: string) {
  return useQuery({
    queryKey: ['changes', 'one', id],
    queryFn: ({ signal }) => api.get<Change>(`${CHANGES}/${enc(id)}`, undefined, signal),
    // While an agent takes a restore point, the page follows it.
    refetchInterval: (q) => (q.state.data?.restorePoints.some((p) => p.state === 'requested') ? 5000 : false),
  });
}

/** Changes and windows in [from, to). */
export function useCalendar(from: string, to: string) {
  return useQuery({
    queryKey: ['changes', 'calendar', from, to],
    queryFn: ({ signal }) => api.get<Calendar>('/api/v1/change-calendar', { from, to }, signal),
  });
}

/** Raises a change. */
export function useCreateChange() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateChange) => api.post<Change>(CHANGES, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['changes'] }),
  });
}

/** Moves a change, votes on it, or ticks a task: each answers with the change as it is now. */
export function useChangeAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: {
      path: 'transitions' | 'approvals' | `restore-points/${string}/restore`;
      body: Record<string, unknown>;
    }) => api.post<Change>(`${CHANGES}/${enc(id)}/${a.path}`, a.body),
    onSuccess: (c) => {
      qc.setQueryData(['changes', 'one', id], c);
      return qc.invalidateQueries({ queryKey: ['changes', 'list'] });
    },
  });
}
