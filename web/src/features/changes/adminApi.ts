// Queries and mutations of what managers keep for change management: templates, maintenance windows and
// blackouts (the same list / one / create / edit / delete shape), and the approval routes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApprovalRoute,
  ApprovalRouteName,
  ChangeTemplate,
  ChangeWindow,
  CreateChangeTemplate,
  CreateChangeWindow,
  UpdateChangeTemplate,
  UpdateChangeWindow,
} from '@contracts';
import { api, ApiError, type Tagged } from '../../api/client';

const enc = encodeURIComponent;

/** Hooks over one kept resource at `path` (answering `{ items }` lists), cached under ['changes', key]. */
function keptResource<T extends { id: string }, Create, Update>(path: string, key: string) {
  return {
    useList: () =>
      useQuery({
        queryKey: ['changes', key, 'list'],
        queryFn: ({ signal }) => api.get<{ items: T[] }>(path, undefined, signal),
        select: (d) => d.items,
      }),
    useOne: (id: string) =>
      useQuery({
        queryKey: ['changes', key, 'one', id],
        queryFn: ({ signal }) => api.getTagged<T>(`${path}/${enc(id)}`, signal),
        enabled: id !== '',
      }),
    useCreate: () => {
      const qc = useQueryClient();
      return useMutation({
        mutationFn: (input: Create) => api.post<T>(path, input),
        onSuccess: () => qc.invalidateQueries({ queryKey: ['changes'] }),
      });
    },
    useUpdate: (id: string) => {
      const qc = useQueryClient();
      return useMutation({
        mutationFn: ({ patch, etag }: { patch: Update; etag: string }) =>
          api.patch<T>(`${path}/${enc(id)}`, patch, etag),
        onSuccess: (tagged: Tagged<T>) => {
          qc.setQueryData(['changes', key, 'one', id], tagged);
          return qc.invalidateQueries({ queryKey: ['changes', key, 'list'] });
        },
      });
    },
    useRemove: (id: string) => {
      const qc = useQueryClient();
      return useMutation({
        mutationFn: () => api.delete(`${path}/${enc(id)}`),
        onSuccess: () => {
          qc.removeQueries({ queryKey: ['changes', key, 'one', id] });
          return qc.invalidateQueries({ queryKey: ['changes'] });
        },
      });
    },
  };
}

/** Change templates: the catalogue of standard changes, and questionnaires for the others. */
export const templates = keptResource<ChangeTemplate, CreateChangeTemplate, UpdateChangeTemplate>(
  '/api/v1/change-templates',
  'templates',
);
/** Maintenance windows and blackout periods. */
export const windows = keptResource<ChangeWindow, CreateChangeWindow, UpdateChangeWindow>(
  '/api/v1/change-windows',
  'windows',
);

/** The four approval routes (low, moderate, high risk; emergency) with their levels. */
export function useApprovalRoutes() {
  return useQuery({
    queryKey: ['changes', 'routes'],
    queryFn: ({ signal }) =>
      api.get<{ items: ApprovalRoute[] }>('/api/v1/change-approval-routes', undefined, signal),
    select: (d) => d.items,
  });
}

/** Sets a route's levels under its version. */
export function useSetApprovalRoute(route: ApprovalRouteName) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ levels, version }: { levels: unknown[]; version: number }) =>
      api.putTagged<ApprovalRoute>(`/api/v1/change-approval-routes/${route}`, { levels }, `"v${version}"`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['changes', 'routes'] }),
  });
}

/** The server's message for one exact field path (`questions.2.key`), for fields inside lists. */
export function errorAt(error: unknown, path: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const m = error.errors.find((e) => e.path === path)?.message;
  return m === undefined ? undefined : m.charAt(0).toUpperCase() + m.slice(1);
}
