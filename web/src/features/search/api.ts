// The global search (tickets, people, items), as far as the signed-in person may see.
import { useQuery } from '@tanstack/react-query';
import type { GlobalSearchResult, Role } from '@contracts';
import { api } from '../../api/client';

/** Asks the server once; used by the search box on submit. */
export function fetchSearch(q: string, signal?: AbortSignal): Promise<GlobalSearchResult> {
  return api.get<GlobalSearchResult>('/api/v1/search', { q }, signal);
}

/** The results page's query. */
export function useSearch(q: string) {
  return useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => fetchSearch(q, signal),
    enabled: q.trim() !== '',
  });
}

/** Where a ticket opens for this role: requesters in the portal, everyone else in the console. */
export function ticketPath(role: Role, id: string): string {
  return role === 'requester' ? `/portal/tickets/${id}` : `/tickets/${id}`;
}
