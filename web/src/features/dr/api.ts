// Queries and mutations of disaster-recovery plans, and the business services a plan can be for.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateDrPlan, DrPlan, UpdateDrPlan } from '@contracts';
import { api, type Page } from '../../api/client';

const PLANS = '/api/v1/dr/plans';
const enc = encodeURIComponent;

/** The address of a plan's page. */
export const planPath = (id: string) => `/dr/plans/${enc(id)}`;

/** The plans by name, a page at a time (keyset cursor), with their readiness (recomputed on each read). */
export function usePlans(pageSize = 50) {
  return useInfiniteQuery({
    queryKey: ['dr', 'plans', pageSize],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<DrPlan>>(PLANS, { cursor: pageParam, limit: pageSize }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One plan. */
export function usePlan(id: string) {
  return useQuery({
    queryKey: ['dr', 'plans', id],
    queryFn: ({ signal }) => api.get<DrPlan>(`${PLANS}/${enc(id)}`, undefined, signal),
  });
}

/** Creates a plan. */
export function useCreatePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateDrPlan) => api.post<DrPlan>(PLANS, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dr'] }),
  });
}

/** Changes a plan at the version it was read (412 when someone changed it meanwhile). */
export function useUpdatePlan(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ patch, version }: { patch: UpdateDrPlan; version: number }) =>
      (await api.patch<DrPlan>(`${PLANS}/${enc(id)}`, patch, `"v${version}"`)).data,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dr'] }),
  });
}

/** Deletes a plan. */
export function useDeletePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${PLANS}/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dr'] }),
  });
}

/** The business services in the CMDB (up to 200), by name, for the plan form. */
export function useServices() {
  return useQuery({
    queryKey: ['dr', 'services'],
    queryFn: ({ signal }) =>
      api.get<Page<{ id: string; name: string }>>('/api/v1/cis', { kind: 'service', limit: 200 }, signal),
    select: (p) => p.items.map((i) => ({ id: i.id, name: i.name })),
  });
}
