// The caller's in-app notifications and their preferences.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Notification, NotificationPrefs } from '@contracts';
import { api } from '../../api/client';

const key = ['notifications'] as const;
type NotificationPage = { items: Notification[]; nextCursor: string | null; unread: number };

/** My notifications, newest first, a page at a time; refreshed every minute. */
export function useNotifications(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: [...key, 'list', unreadOnly],
    queryFn: ({ pageParam, signal }) =>
      api.get<NotificationPage>(
        '/api/v1/notifications',
        { cursor: pageParam, limit: 50, ...(unreadOnly ? { unread: 'true' } : {}) },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 60_000,
  });
}

/** How many unread notifications I have (for the navigation). */
export function useUnreadCount() {
  return useQuery({
    queryKey: [...key, 'unread'],
    queryFn: ({ signal }) => api.get<NotificationPage>('/api/v1/notifications', { limit: 1 }, signal),
    select: (p) => p.unread,
    refetchInterval: 60_000,
  });
}

/** Marks one notification read, or all of them (id null). */
export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string | null) =>
      api.post<{ unread: number }>(
        id ? `/api/v1/notifications/${encodeURIComponent(id)}/read` : '/api/v1/notifications/read-all',
        {},
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
}

/** My preferences per event. */
export function usePrefs() {
  return useQuery({
    queryKey: [...key, 'prefs'],
    queryFn: ({ signal }) =>
      api.get<NotificationPrefs>('/api/v1/me/notification-preferences', undefined, signal),
  });
}

/** Saves my preferences. */
export function useSavePrefs() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: NotificationPrefs) =>
      api.put<NotificationPrefs>('/api/v1/me/notification-preferences', p),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...key, 'prefs'] }),
  });
}
