// Queries and mutations of KPIs and dashboards.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dashboard, DashboardInput, KpiInfo, KpiItems, KpiKey, KpiResult } from '@contracts';
import { api } from '../../api/client';

/** The filters of a figure or list, as the API and the list page's address take them. */
export interface KpiFilterParams {
  from: string;
  to: string;
  granularity?: 'day' | 'week' | 'month';
  teamId?: string | null;
  serviceId?: string | null;
}

const params = (f: KpiFilterParams) => ({
  from: f.from,
  to: f.to,
  granularity: f.granularity,
  teamId: f.teamId ?? undefined,
  serviceId: f.serviceId ?? undefined,
});

/** Every KPI with its target. */
export function useKpiCatalogue() {
  return useQuery({
    queryKey: ['kpis', 'catalogue'],
    queryFn: ({ signal }) => api.get<{ items: KpiInfo[] }>('/api/v1/kpis', undefined, signal),
    select: (r) => r.items,
  });
}

/** A KPI over a period with its trend. */
export function useKpi(key: KpiKey, f: KpiFilterParams) {
  return useQuery({
    queryKey: ['kpis', 'figure', key, f],
    queryFn: ({ signal }) => api.get<KpiResult>(`/api/v1/kpis/${key}`, params(f), signal),
  });
}

/** The list a KPI counts, page by page. */
export function useKpiItems(key: KpiKey, f: KpiFilterParams, hits: boolean, limit = 50) {
  return useInfiniteQuery({
    queryKey: ['kpis', 'items', key, f, hits, limit],
    queryFn: ({ pageParam, signal }) =>
      api.get<KpiItems>(
        `/api/v1/kpis/${key}/items`,
        { ...params(f), granularity: undefined, hits: hits ? 'true' : undefined, cursor: pageParam, limit },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Sets a KPI's target (admins). */
export function useSetTarget(key: KpiKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (target: number) => api.put<KpiInfo>(`/api/v1/kpis/${key}/target`, { target }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kpis'] }),
  });
}

/** The defaults, mine and the shared dashboards. */
export function useDashboards() {
  return useQuery({
    queryKey: ['dashboards', 'list'],
    queryFn: ({ signal }) => api.get<{ items: Dashboard[] }>('/api/v1/dashboards', undefined, signal),
    select: (r) => r.items,
  });
}

/** One dashboard with its ETag. */
export function useDashboard(id: string) {
  return useQuery({
    queryKey: ['dashboards', 'one', id],
    queryFn: ({ signal }) => api.getTagged<Dashboard>(`/api/v1/dashboards/${encodeURIComponent(id)}`, signal),
  });
}

/** Saves a new dashboard. */
export function useCreateDashboard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: DashboardInput) => api.post<Dashboard>('/api/v1/dashboards', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dashboards'] }),
  });
}

/** Changes a dashboard under its ETag. */
export function useUpdateDashboard(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ input, etag }: { input: DashboardInput; etag: string }) =>
      api.putTagged<Dashboard>(`/api/v1/dashboards/${encodeURIComponent(id)}`, input, etag),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dashboards'] }),
  });
}

/** Deletes a dashboard. */
export function useDeleteDashboard(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`/api/v1/dashboards/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dashboards'] }),
  });
}

/** The address of the list behind a figure. */
export function listHref(key: KpiKey, f: KpiFilterParams, hits = false): string {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  if (f.teamId) q.set('teamId', f.teamId);
  if (f.serviceId) q.set('serviceId', f.serviceId);
  if (hits) q.set('hits', 'true');
  return `/kpis/${key}?${q.toString()}`;
}
