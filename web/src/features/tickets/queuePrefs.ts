// The agent's queue layout (columns, density), kept on the server per person.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DEFAULT_QUEUE_COLUMNS, type QueueColumn, type QueuePrefs } from '@contracts';
import { api } from '../../api/client';
import type { MessageKey } from '../../i18n';

/** What each optional column is called in the chooser and its header. */
export const COLUMN_LABEL: Record<QueueColumn, MessageKey> = {
  status: 'queue.col.status',
  priority: 'queue.col.priority',
  team: 'queue.col.team',
  assignee: 'queue.col.assignee',
  requester: 'queue.col.requester',
  category: 'queue.col.category',
  slaDue: 'queue.col.slaDue',
  updated: 'queue.col.updated',
};

const FALLBACK: QueuePrefs = { columns: [...DEFAULT_QUEUE_COLUMNS], density: 'comfortable' };

/** The signed-in person's queue layout (the default one until it loads). */
export function useQueuePrefs() {
  const q = useQuery({
    queryKey: ['queue-prefs'],
    queryFn: ({ signal }) => api.get<QueuePrefs>('/api/v1/queue-prefs', undefined, signal),
    staleTime: Infinity,
  });
  return q.data ?? FALLBACK;
}

/** Saves the layout (shown at once; put back if the server refuses it). */
export function useSaveQueuePrefs() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: QueuePrefs) => api.put<QueuePrefs>('/api/v1/queue-prefs', p),
    onMutate: (p) => {
      const before = qc.getQueryData<QueuePrefs>(['queue-prefs']);
      qc.setQueryData(['queue-prefs'], p);
      return before;
    },
    onError: (_e, _p, before) => qc.setQueryData(['queue-prefs'], before),
  });
}
