// What the portal reads besides tickets: the requester's own devices, for the ticket form.
import { useQuery } from '@tanstack/react-query';
import type { Ci } from '@contracts';
import { api } from '../../api/client';

/** The items the signed-in user owns (empty when none). */
export function useMyDevices(): Ci[] {
  const q = useQuery({
    queryKey: ['cis', 'mine'],
    queryFn: ({ signal }) => api.get<{ items: Ci[] }>('/api/v1/cis/mine', undefined, signal),
  });
  return q.data?.items ?? [];
}
