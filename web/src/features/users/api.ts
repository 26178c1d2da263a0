// Queries and mutations of the users area.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUser, Role, UpdateUser, User } from '@contracts';
import { api, type Page, type Tagged } from '../../api/client';
import { sessionKey } from '../auth/session';

/** The roles in increasing power, as the contracts define them. */
export const ROLE_OPTIONS: readonly Role[] = ['requester', 'agent', 'manager', 'admin'];

/** Filters of the user list. */
export interface UserFilters {
  q?: string;
  role?: Role | '';
  active?: 'true' | 'false' | '';
  teamId?: string;
}

const PAGE_SIZE = 25;

/** The user list, page by page (cursor). */
export function useUserList(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: ['users', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<User>>('/api/v1/users', { ...filters, cursor: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Users matching a search, for pickers (one page). */
export function useUserSearch(q: string, limit = 10) {
  return useQuery({
    queryKey: ['users', 'search', q, limit],
    enabled: q !== '',
    queryFn: ({ signal }) => api.get<Page<User>>('/api/v1/users', { q, limit, active: 'true' }, signal),
  });
}

/** Members of a team (up to 200). */
export function useTeamMembers(teamId: string | undefined) {
  return useQuery({
    queryKey: ['users', 'team', teamId],
    enabled: teamId !== undefined,
    queryFn: ({ signal }) => api.get<Page<User>>('/api/v1/users', { teamId, limit: 200 }, signal),
  });
}

/** One user with the ETag for an update. */
export function useUser(id: string) {
  return useQuery({
    queryKey: ['users', 'one', id],
    queryFn: ({ signal }) => api.getTagged<User>(`/api/v1/users/${encodeURIComponent(id)}`, signal),
  });
}

/** Creates a user. */
export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateUser) => api.post<User>('/api/v1/users', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
}

/** Changes a user, guarded by the ETag it was read with; the answer replaces the cached copy. */
export function useUpdateUser(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, etag }: { patch: UpdateUser; etag: string }) =>
      api.patch<User>(`/api/v1/users/${encodeURIComponent(id)}`, patch, etag),
    onSuccess: async (tagged: Tagged<User>) => {
      qc.setQueryData(['users', 'one', id], tagged);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['users', 'list'] }),
        qc.invalidateQueries({ queryKey: ['teams'] }),
        qc.invalidateQueries({ queryKey: sessionKey }),
      ]);
    },
  });
}

/** Up to 200 users (active or not), for filter selects such as the audit log's actor. */
export function useUserOptions() {
  return useQuery({
    queryKey: ['users', 'options'],
    queryFn: ({ signal }) => api.get<Page<User>>('/api/v1/users', { limit: 200 }, signal),
    select: (page) => page.items,
    staleTime: 60_000,
  });
}
