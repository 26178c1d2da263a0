// Queries and mutations of the service desk (tickets, timeline, watchers, saved views, categories).
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type {
  Attachment,
  CreateLink,
  TicketLink,
  BulkUpdateTickets,
  Category,
  ConfirmTicket,
  CreateComment,
  CreateTicket,
  CreateView,
  ReopenTicket,
  SavedView,
  Ticket,
  TicketFilter,
  TicketListItem,
  TimelineItem,
  TransitionTicket,
  UpdateTicket,
} from '@contracts';
import { api, request, upload, type Page, type QueryParams, type Tagged } from '../../api/client';

const PAGE_SIZE = 50;
const base = (id: string) => `/api/v1/tickets/${encodeURIComponent(id)}`;

/** The query string of a filter: lists comma-separated, as the API takes them. */
export function filterParams(f: TicketFilter): QueryParams {
  const out: QueryParams = {};
  for (const [k, v] of Object.entries(f) as [string, unknown][]) {
    if (Array.isArray(v)) out[k] = v.length > 0 ? v.join(',') : undefined;
    else if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}

/** Tickets matching a filter, a keyset page at a time. */
export function useTicketList(filter: TicketFilter, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['tickets', 'list', filter],
    enabled,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<TicketListItem>>(
        '/api/v1/tickets',
        { ...filterParams(filter), cursor: pageParam, limit: PAGE_SIZE },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // keep the current rows on screen while the next filter's rows load: the queue does not flicker
    placeholderData: (prev) => prev,
  });
}

/** How many tickets match a filter (the sort does not matter for a count). */
export function useTicketCount(filter: TicketFilter) {
  const { sort: _sort, order: _order, ...rest } = filter;
  return useQuery({
    queryKey: ['tickets', 'list', 'count', rest],
    queryFn: ({ signal }) => api.get<{ count: number }>('/api/v1/tickets/count', filterParams(rest), signal),
    select: (r) => r.count,
    placeholderData: (prev) => prev,
  });
}

/** One ticket with its ETag. */
export function useTicket(id: string) {
  return useQuery({
    queryKey: ['tickets', 'one', id],
    queryFn: ({ signal }) => api.getTagged<Ticket>(base(id), signal),
  });
}

/** The whole timeline of a ticket, oldest first (pages of 200 are fetched until the end). */
export function useTimeline(id: string) {
  return useQuery({
    queryKey: ['tickets', 'timeline', id],
    queryFn: async ({ signal }) => {
      const items: TimelineItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.get<Page<TimelineItem>>(
          `${base(id)}/timeline`,
          { limit: 200, cursor },
          signal,
        );
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return items;
    },
  });
}

/** After a change to one ticket: store its new state and refresh what shows it. */
async function ticketChanged(qc: QueryClient, tagged: Tagged<Ticket>): Promise<void> {
  qc.setQueryData(['tickets', 'one', tagged.data.id], tagged);
  await Promise.all([
    qc.invalidateQueries({ queryKey: ['tickets', 'timeline', tagged.data.id] }),
    qc.invalidateQueries({ queryKey: ['tickets', 'list'] }),
  ]);
}

/** Opens a ticket. */
export function useCreateTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTicket) => api.post<Ticket>('/api/v1/tickets', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets', 'list'] }),
  });
}

/** Changes a ticket under the ETag it was read with (412 `stale` when someone saved first). */
export function useUpdateTicket(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, etag }: { patch: UpdateTicket; etag: string }) =>
      api.patch<Ticket>(base(id), patch, etag),
    onSuccess: (tagged) => ticketChanged(qc, tagged),
  });
}

/** Moves a ticket to another status, under the ETag it was read with. */
export function useTransition(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, etag }: { body: TransitionTicket; etag: string }) =>
      request<Ticket>('POST', `${base(id)}/transition`, { body, ifMatch: etag }),
    onSuccess: (tagged) => ticketChanged(qc, tagged),
  });
}

/** The requester confirms a resolution (closing it), optionally rating it. */
export function useConfirm(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConfirmTicket) => request<Ticket>('POST', `${base(id)}/confirm`, { body }),
    onSuccess: (tagged) => ticketChanged(qc, tagged),
  });
}

/** The requester reopens a resolved ticket within the reopen window. */
export function useReopen(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReopenTicket) => request<Ticket>('POST', `${base(id)}/reopen`, { body }),
    onSuccess: (tagged) => ticketChanged(qc, tagged),
  });
}

/** Adds a public reply or an internal note. */
export function useAddComment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateComment) => api.post(`${base(id)}/comments`, body),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['tickets', 'timeline', id] }),
        // a first reply sets firstResponseAt and bumps updatedAt
        qc.invalidateQueries({ queryKey: ['tickets', 'one', id] }),
        qc.invalidateQueries({ queryKey: ['tickets', 'list'] }),
      ]),
  });
}

/** The same change to many tickets, all or nothing. */
export function useBulkUpdate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: BulkUpdateTickets) => api.post<{ items: Ticket[] }>('/api/v1/tickets/bulk', input),
    // not awaited: the bar closes once the server has answered, not after the queue is read again (live
    // updates may refresh the rows first, and a bar over changed rows would offer the change once more)
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
}

/** The watchers of a ticket. */
export function useWatchers(id: string) {
  return useQuery({
    queryKey: ['tickets', 'watchers', id],
    queryFn: ({ signal }) =>
      api.get<{ items: { userId: string; addedAt: string }[] }>(`${base(id)}/watchers`, undefined, signal),
    select: (r) => r.items,
  });
}

/** Adds (`add: true`) or removes a watcher. */
export function useWatch(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, add }: { userId: string; add: boolean }) =>
      add
        ? api.post(`${base(id)}/watchers`, { userId })
        : api.delete(`${base(id)}/watchers/${encodeURIComponent(userId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets', 'watchers', id] }),
  });
}

/** My saved views (up to 200). */
export function useSavedViews() {
  return useQuery({
    queryKey: ['views'],
    queryFn: ({ signal }) => api.get<Page<SavedView>>('/api/v1/views', { limit: 200 }, signal),
    select: (p) => p.items,
  });
}

/** Saves a view. */
export function useCreateView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateView) => api.post<SavedView>('/api/v1/views', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['views'] }),
  });
}

/** Deletes a saved view. */
export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/views/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['views'] }),
  });
}

/** The whole category tree (every node, up to 200), for pickers and names. */
export function useCategories() {
  return useQuery({
    queryKey: ['categories', 'all'],
    queryFn: ({ signal }) => api.get<Page<Category>>('/api/v1/categories', { limit: 200 }, signal),
    select: (p) => p.items,
    staleTime: 5 * 60_000,
  });
}

/** The attachments of a ticket (without those on internal notes, for requesters: the API leaves them out). */
export function useAttachments(id: string) {
  return useQuery({
    queryKey: ['tickets', 'attachments', id],
    queryFn: ({ signal }) => api.get<{ items: Attachment[] }>(`${base(id)}/attachments`, undefined, signal),
    select: (r) => r.items,
  });
}

/** Uploads files to a ticket (internal: on an internal note's level, agents only). */
export function useUpload(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ files, internal }: { files: File[]; internal: boolean }) => {
      const form = new FormData();
      if (internal) form.append('internal', 'true');
      for (const f of files) form.append('file', f, f.name);
      return upload<{ items: Attachment[] }>(`${base(id)}/attachments`, form);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** Deletes an attachment. */
export function useDeleteAttachment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (attachmentId: string) =>
      api.delete(`${base(id)}/attachments/${encodeURIComponent(attachmentId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** The links of a ticket (to tickets the caller may see). */
export function useLinks(id: string) {
  return useQuery({
    queryKey: ['tickets', 'links', id],
    queryFn: ({ signal }) => api.get<{ items: TicketLink[] }>(`${base(id)}/links`, undefined, signal),
    select: (r) => r.items,
  });
}

/** Links the ticket to a problem or a parent. */
export function useAddLink(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateLink) => api.post<TicketLink>(`${base(id)}/links`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** Removes a link. */
export function useRemoveLink(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (linkId: string) => api.delete(`${base(id)}/links/${encodeURIComponent(linkId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** Merges the ticket, a duplicate, into another one. */
export function useMerge(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (intoId: string) => api.post<Ticket>(`${base(id)}/merge`, { intoId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets'] }),
  });
}
