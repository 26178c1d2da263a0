// Queries and mutations of the teams area.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateTeam, Team, UpdateTeam } from '@contracts';
import { api, type Page, type Tagged } from '../../api/client';

const PAGE_SIZE = 25;

/** The team list, page by page. */
export function useTeamList(q: string) {
  return useInfiniteQuery({
    queryKey: ['teams', 'list', q],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Team>>('/api/v1/teams', { q, cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Every team (up to 200), for pickers. */
export function useAllTeams() {
  return useQuery({
    queryKey: ['teams', 'all'],
    queryFn: ({ signal }) => api.get<Page<Team>>('/api/v1/teams', { limit: 200 }, signal),
    select: (page) => page.items,
  });
}

/** One team with its ETag. */
export function useTeam(id: string) {
  return useQuery({
    queryKey: ['teams', 'one', id],
    queryFn: ({ signal }) => api.getTagged<Team>(`/api/v1/teams/${encodeURIComponent(id)}`, signal),
  });
}

/** Creates a team. */
export function useCreateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTeam) => api.post<Team>('/api/v1/teams', input),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['teams'] }),
        qc.invalidateQueries({ queryKey: ['users'] }),
      ]),
  });
}

/** Changes a team under its ETag. */
export function useUpdateTeam(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, etag }: { patch: UpdateTeam; etag: string }) =>
      api.patch<Team>(`/api/v1/teams/${encodeURIComponent(id)}`, patch, etag),
    onSuccess: async (tagged: Tagged<Team>) => {
      qc.setQueryData(['teams', 'one', id], tagged);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['teams', 'list'] }),
        qc.invalidateQueries({ queryKey: ['teams', 'all'] }),
        qc.invalidateQueries({ queryKey: ['users'] }),
      ]);
    },
  });
}

/** Deletes a team. */
export function useDeleteTeam(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`/api/v1/teams/${encodeURIComponent(id)}`),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['teams', 'one', id] });
      return Promise.all([
        qc.invalidateQueries({ queryKey: ['teams'] }),
        qc.invalidateQueries({ queryKey: ['users'] }),
      ]);
    },
  });
}
