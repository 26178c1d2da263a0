// Queries and mutations of scheduled reports.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Report, ReportInput, ReportRun } from '@contracts';
import { api } from '../../api/client';

/** My scheduled reports. */
export function useReports() {
  return useQuery({
    queryKey: ['reports', 'list'],
    queryFn: ({ signal }) => api.get<{ items: Report[] }>('/api/v1/reports', undefined, signal),
    select: (r) => r.items,
  });
}

/** A report's sendings, newest first (polled while one is on its way). */
export function useReportRuns(id: string) {
  return useQuery({
    queryKey: ['reports', 'runs', id],
    queryFn: ({ signal }) => api.get<{ items: ReportRun[] }>(`/api/v1/reports/${id}/runs`, undefined, signal),
    select: (r) => r.items,
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.status === 'queued' || r.status === 'sending') ? 1000 : false,
  });
}

/** Schedules a report. */
export function useCreateReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ReportInput) => api.post<Report>('/api/v1/reports', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

/** Sends a report now. */
export function useSendReport(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ReportRun>(`/api/v1/reports/${id}/send`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

/** Deletes a report. */
export function useDeleteReport(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`/api/v1/reports/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

/** Pauses or resumes a report (the whole report is written back under its version). */
export function useToggleReport(r: Report) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => {
      const input: ReportInput = {
        name: r.name,
        dashboardId: r.dashboard?.id ?? null,
        kpis: r.kpis,
        teamId: r.team?.id ?? null,
        serviceId: r.service?.id ?? null,
        period: r.period,
        formats: r.formats,
        userIds: r.users.map((u) => u.id),
        teamIds: r.teams.map((x) => x.id),
        schedule: r.schedule,
        enabled: !r.enabled,
      };
      return api.putTagged<Report>(`/api/v1/reports/${r.id}`, input, `"v${r.version}"`);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}
