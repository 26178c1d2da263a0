// Queries and mutations of the settings area: each setting or list with its ETag, so that saves send If-Match.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AssignmentStrategy,
  Category,
  CreateCategory,
  CreateRoutingRule,
  CreateSlaCalendar,
  CreateSlaPolicy,
  MailChannel,
  NotificationTemplate,
  PriorityMatrix,
  PutNotificationTemplate,
  RoutingRule,
  RoutingSample,
  RoutingTestResult,
  ServiceDeskSettings,
  SlaCalendar,
  SlaPolicy,
  TestMailResult,
  UpdateCategory,
  UpdateRoutingRule,
  UpdateSlaCalendar,
  UpdateSlaPolicy,
  TicketField,
  CreateTicketField,
  UpdateTicketField,
  TicketTemplate,
  CreateTicketTemplate,
  UpdateTicketTemplate,
  Recurrence,
  CreateRecurrence,
  UpdateRecurrence,
} from '@contracts';
import { api, type Tagged } from '../../api/client';

const etagOf = (v: { version: number }) => `"v${v.version}"`;

/** A list resource with create, update (If-Match) and delete: categories, calendars, policies, rules. */
function useResource<T extends { id: string; version: number }, C, U>(
  key: string,
  path: string,
  query?: { limit: number },
) {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: ['settings', key] });
  const list = useQuery({
    queryKey: ['settings', key],
    queryFn: ({ signal }) => api.get<{ items: T[] }>(path, query, signal),
    select: (d) => d.items,
  });
  const create = useMutation({ mutationFn: (input: C) => api.post<T>(path, input), onSuccess: done });
  const update = useMutation({
    mutationFn: ({ item, patch }: { item: T; patch: U }) =>
      api.patch<T>(`${path}/${item.id}`, patch, etagOf(item)),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: (item: T) => api.delete(`${path}/${item.id}`),
    onSuccess: done,
  });
  return { list, create, update, remove };
}

/** The hooks of one list resource. */
export type Resource<T extends { id: string; version: number }, C, U> = ReturnType<
  typeof useResource<T, C, U>
>;

/** The category tree (flat, up to 200). */
export const useCategoryAdmin = () =>
  useResource<Category, CreateCategory, UpdateCategory>('categories', '/api/v1/categories', { limit: 200 });
/** SLA calendars. */
export const useCalendars = () =>
  useResource<SlaCalendar, CreateSlaCalendar, UpdateSlaCalendar>('calendars', '/api/v1/sla/calendars');
/** SLA policies. */
export const usePolicies = () =>
  useResource<SlaPolicy, CreateSlaPolicy, UpdateSlaPolicy>('policies', '/api/v1/sla/policies');
/** Routing rules in evaluation order. */
export const useRules = () =>
  useResource<RoutingRule, CreateRoutingRule, UpdateRoutingRule>('rules', '/api/v1/routing-rules');

/** Puts the rules in a new order (every id once). */
export function useReorderRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api.put<{ items: RoutingRule[] }>('/api/v1/routing-rules/order', { ids }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['settings', 'rules'] }),
  });
}

/** Routes a sample ticket through the enabled rules, writing nothing. */
export function useTestRules() {
  return useMutation({
    mutationFn: (sample: RoutingSample) => api.post<RoutingTestResult>('/api/v1/routing-rules/test', sample),
  });
}

/** One whole setting (GET with its ETag, PUT with If-Match). */
function useSetting<T>(path: string) {
  const qc = useQueryClient();
  const key = ['settings', 'value', path];
  const value = useQuery({ queryKey: key, queryFn: ({ signal }) => api.getTagged<T>(path, signal) });
  const save = useMutation({
    mutationFn: ({ body, etag }: { body: T; etag: string }) => api.putTagged<T>(path, body, etag),
    onSuccess: (tagged: Tagged<T>) => qc.setQueryData(key, tagged),
  });
  return { value, save };
}

/** The priority matrix. */
export const usePriorityMatrix = () => useSetting<PriorityMatrix>('/api/v1/settings/priority-matrix');
/** Reopen and auto-close windows. */
export const useServiceDesk = () => useSetting<ServiceDeskSettings>('/api/v1/settings/service-desk');

/** Every team (up to 200) with its assignment strategy. */
export function useTeamStrategies(teamIds: readonly string[]) {
  return useQuery({
    queryKey: ['settings', 'strategies', teamIds],
    enabled: teamIds.length > 0,
    queryFn: async ({ signal }) => {
      const all = await Promise.all(
        teamIds.map((id) =>
          api.get<{ strategy: AssignmentStrategy }>(`/api/v1/teams/${id}/assignment`, undefined, signal),
        ),
      );
      return new Map(teamIds.map((id, i) => [id, all[i]?.strategy ?? 'none']));
    },
  });
}

/** Sets a team's assignment strategy. */
export function useSetStrategy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ teamId, strategy }: { teamId: string; strategy: AssignmentStrategy }) =>
      api.put(`/api/v1/teams/${teamId}/assignment`, { strategy }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['settings', 'strategies'] }),
  });
}

/** Whether each of `userIds` is marked away. */
export function useAwayFlags(userIds: readonly string[]) {
  return useQuery({
    queryKey: ['settings', 'away', userIds],
    enabled: userIds.length > 0,
    queryFn: async ({ signal }) => {
      const all = await Promise.all(
        userIds.map((id) => api.get<{ away: boolean }>(`/api/v1/users/${id}/away`, undefined, signal)),
      );
      return new Map(userIds.map((id, i) => [id, all[i]?.away ?? false]));
    },
  });
}

/** Marks a person away or back. */
export function useSetAway() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, away }: { userId: string; away: boolean }) =>
      api.put(`/api/v1/users/${userId}/away`, { away }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['settings', 'away'] }),
  });
}

/** The notification templates, one per event. */
export function useTemplates() {
  return useQuery({
    queryKey: ['settings', 'templates'],
    queryFn: ({ signal }) =>
      api.get<{ items: NotificationTemplate[] }>('/api/v1/notification-templates', undefined, signal),
    select: (d) => d.items,
  });
}

/** Saves an event's template (If-Match once a custom one exists). */
export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ t, body }: { t: NotificationTemplate; body: PutNotificationTemplate }) =>
      t.custom
        ? api.putTagged(`/api/v1/notification-templates/${t.event}`, body, etagOf(t))
        : api.put(`/api/v1/notification-templates/${t.event}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['settings', 'templates'] }),
  });
}

/** The e-mail channel's settings. */
export function useMailChannel() {
  return useQuery({
    queryKey: ['settings', 'mail'],
    queryFn: ({ signal }) => api.get<MailChannel>('/api/v1/mail/channel', undefined, signal),
  });
}

/** Sends a test message now. */
export function useSendTestMail() {
  return useMutation({
    mutationFn: (to: string) => api.post<TestMailResult>('/api/v1/mail/test', { to }),
  });
}

/** Custom ticket fields. */
export const useFieldAdmin = () =>
  useResource<TicketField, CreateTicketField, UpdateTicketField>('ticket-fields', '/api/v1/ticket-fields');
/** Ticket templates. */
export const useTemplateAdmin = () =>
  useResource<TicketTemplate, CreateTicketTemplate, UpdateTicketTemplate>(
    'ticket-templates',
    '/api/v1/ticket-templates',
  );
/** Recurring tickets. */
export const useRecurrenceAdmin = () =>
  useResource<Recurrence, CreateRecurrence, UpdateRecurrence>(
    'ticket-recurrences',
    '/api/v1/ticket-recurrences',
  );
