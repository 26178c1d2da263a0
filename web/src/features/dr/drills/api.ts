// Queries and mutations of disaster-recovery drills: a plan's history and trend, one drill (refreshed while it
// runs), starting, ticking off, cancelling, and checking the evidence against the audit trail.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Drill, DrillEvidenceCheck, DrillHistory, DrillSchedule, UpdateDrillSchedule } from '@contracts';
import { api } from '../../../api/client';

const enc = encodeURIComponent;

/** A plan's drills, newest first, a page at a time (each page carries the trend). */
export function usePlanDrills(planId: string, pageSize = 10) {
  return useInfiniteQuery({
    queryKey: ['dr', 'drills', planId, pageSize],
    queryFn: ({ pageParam, signal }) =>
      api.get<DrillHistory>(
        `/api/v1/dr/plans/${enc(planId)}/drills`,
        { cursor: pageParam, limit: pageSize },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A running drill moves on by itself.
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((d) => d.status === 'running')) ? 2_000 : false,
  });
}

/** One drill; refreshed every 2 s while it runs. */
export function useDrill(id: string) {
  return useQuery({
    queryKey: ['dr', 'drill', id],
    queryFn: ({ signal }) => api.get<Drill>(`/api/v1/dr/drills/${enc(id)}`, undefined, signal),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 2_000 : false),
  });
}

function useDrillMutation<V>(fn: (v: V) => Promise<Drill>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (d) => {
      qc.setQueryData(['dr', 'drill', d.id], d);
      void qc.invalidateQueries({ queryKey: ['dr'] });
    },
  });
}

/** Starts a drill of a plan. */
export function useStartDrill(planId: string) {
  return useDrillMutation(() => api.post<Drill>(`/api/v1/dr/plans/${enc(planId)}/drills`));
}

/** Ticks a manual step off. */
export function useTickStep(drillId: string) {
  return useDrillMutation((position: number) =>
    api.post<Drill>(`/api/v1/dr/drills/${enc(drillId)}/steps/${position}/tick`, {}),
  );
}

/** Cancels a running drill. */
export function useCancelDrill(drillId: string) {
  return useDrillMutation(() => api.post<Drill>(`/api/v1/dr/drills/${enc(drillId)}/cancel`));
}

/** Checks the drill's evidence against the audit trail (on demand). */
export function useVerifyEvidence(drillId: string) {
  return useMutation({
    mutationFn: () => api.get<DrillEvidenceCheck>(`/api/v1/dr/drills/${enc(drillId)}/evidence/verify`),
  });
}

const scheduleKey = (planId: string) => ['dr', 'drill-schedule', planId];

/** When a plan is drilled by itself (version 0: no schedule yet). */
export function useDrillSchedule(planId: string) {
  return useQuery({
    queryKey: scheduleKey(planId),
    queryFn: ({ signal }) =>
      api.get<DrillSchedule>(`/api/v1/dr/plans/${enc(planId)}/drill-schedule`, undefined, signal),
  });
}

/** Saves a plan's drill schedule at the version it was read (412 when someone saved meanwhile). */
export function useSaveDrillSchedule(planId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, version }: { body: UpdateDrillSchedule; version: number }) =>
      api.putTagged<DrillSchedule>(`/api/v1/dr/plans/${enc(planId)}/drill-schedule`, body, `"v${version}"`),
    onSuccess: (r) => qc.setQueryData(scheduleKey(planId), r.data),
  });
}
