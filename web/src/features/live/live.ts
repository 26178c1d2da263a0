// Live updates: one EventSource per signed-in tab (GET /api/v1/events), and presence on a ticket.
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { LiveTicketEvent, PresenceState, TicketPresence } from '@contracts';
import { api } from '../../api/client';

/** How often the list of tickets is fetched again at most while changes stream in. */
const LIST_EVERY_MS = 1_000;
/** The presence heartbeat (the server forgets a person 45 s after their last one). */
const BEAT_MS = 15_000;

const presenceKey = (ticketId: string) => ['tickets', 'presence', ticketId] as const;

function ticketChanged(qc: QueryClient, id: string, refreshList: () => void) {
  void qc.invalidateQueries({ queryKey: ['tickets', 'one', id] });
  void qc.invalidateQueries({ queryKey: ['tickets', 'timeline', id] });
  void qc.invalidateQueries({ queryKey: ['tickets', 'watchers', id] });
  void qc.invalidateQueries({ queryKey: ['tickets', 'attachments', id] });
  refreshList();
}

/**
 * Listens to the server's live events while mounted: a changed ticket is fetched again (page and queue, the
 * queue at most once a second), presence lands in the query cache. The browser reconnects by itself.
 */
export function useLiveUpdates(myId: string): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events');
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshList = () => {
      listTimer ??= setTimeout(() => {
        listTimer = undefined;
        void qc.invalidateQueries({ queryKey: ['tickets', 'list'] });
      }, LIST_EVERY_MS);
    };
    source.addEventListener('ticket', (e: MessageEvent<string>) => {
      const { id } = JSON.parse(e.data) as LiveTicketEvent;
      ticketChanged(qc, id, refreshList);
    });
    source.addEventListener('presence', (e: MessageEvent<string>) => {
      const p = JSON.parse(e.data) as TicketPresence;
      // the server sends everyone on the ticket; the page shows the others
      qc.setQueryData(presenceKey(p.ticketId), { ...p, people: p.people.filter((x) => x.userId !== myId) });
    });
    return () => {
      if (listTimer) clearTimeout(listTimer);
      source.close();
    };
  }, [qc, myId]);
}

/**
 * Tells the server the signed-in agent is on this ticket (viewing, or replying while `replying`), every 15 s
 * and at once when that changes; `gone` on leaving. Answers the others on the ticket.
 */
export function usePresence(ticketId: string, replying: boolean) {
  const qc = useQueryClient();
  const state: PresenceState = replying ? 'replying' : 'viewing';
  useEffect(() => {
    const beat = (s: PresenceState) =>
      api
        .put<TicketPresence>(`/api/v1/tickets/${encodeURIComponent(ticketId)}/presence`, { state: s })
        .then((p) => {
          if (s !== 'gone') qc.setQueryData(presenceKey(ticketId), p);
        })
        .catch(() => undefined);
    void beat(state);
    const timer = setInterval(() => void beat(state), BEAT_MS);
    return () => clearInterval(timer);
  }, [qc, ticketId, state]);
  useEffect(
    () => () => {
      void api
        .put(`/api/v1/tickets/${encodeURIComponent(ticketId)}/presence`, { state: 'gone' })
        .catch(() => undefined);
    },
    [ticketId],
  );
  return useQuery({
    queryKey: presenceKey(ticketId),
    queryFn: ({ signal }) =>
      api.get<TicketPresence>(`/api/v1/tickets/${encodeURIComponent(ticketId)}/presence`, undefined, signal),
    staleTime: Infinity,
  });
}
