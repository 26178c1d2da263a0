// Queries and mutations of company backups (admins): the fleet's recovery points, storage targets, policies
// with their assignments and preview, and each device's repository and runs.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AssignPolicy,
  BackupPolicy,
  BackupRun,
  BackupTarget,
  CreateBackupPolicy,
  CreateBackupTarget,
  DeviceBackupStatus,
  DeviceRepository,
  PolicyCoverage,
  TargetTestResult,
  UpdateBackupPolicy,
  UpdateBackupTarget,
} from '@contracts';
import { api, isApiError, type Page } from '../../api/client';

const enc = encodeURIComponent;
const TARGETS = '/api/v1/backup/targets';
const POLICIES = '/api/v1/backup/policies';

/** Every computer's recovery point, riskiest first; refreshed every minute (the time at risk grows). */
export function useFleetStatus() {
  return useQuery({
    queryKey: ['backup', 'status'],
    queryFn: ({ signal }) =>
      api.get<{ devices: DeviceBackupStatus[] }>('/api/v1/backup/status', undefined, signal),
    select: (r) => r.devices,
    refetchInterval: 60_000,
  });
}

/** One computer's recovery point. */
export function useDeviceStatus(ciId: string) {
  return useQuery({
    queryKey: ['backup', 'status', ciId],
    queryFn: ({ signal }) =>
      api.get<DeviceBackupStatus>(`/api/v1/backup/status/${enc(ciId)}`, undefined, signal),
    refetchInterval: 60_000,
  });
}

/** A computer's runs, newest first, a page at a time. */
export function useDeviceRuns(ciId: string, pageSize = 20) {
  return useInfiniteQuery({
    queryKey: ['backup', 'runs', ciId, pageSize],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<BackupRun>>('/api/v1/backup/runs', { ciId, cursor: pageParam, limit: pageSize }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** A device's repository, or null while it has none. */
export function useRepository(ciId: string) {
  return useQuery({
    queryKey: ['backup', 'repository', ciId],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<DeviceRepository>(`/api/v1/backup/repositories/${enc(ciId)}`, undefined, signal);
      } catch (e) {
        if (isApiError(e, 'not_found')) return null;
        throw e;
      }
    },
  });
}

/** Every device's repository, by device name. */
export function useRepositories() {
  return useQuery({
    queryKey: ['backup', 'repositories'],
    queryFn: ({ signal }) =>
      api.get<{ items: DeviceRepository[] }>('/api/v1/backup/repositories', undefined, signal),
    select: (r) => r.items,
  });
}

/** Gives a device its repository on a target (the server creates it there). */
export function useSetUpRepository(ciId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (targetId: string) =>
      api.put<DeviceRepository>(`/api/v1/backup/repositories/${enc(ciId)}`, { targetId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup'] }),
  });
}

/** Every storage target, by name. */
export function useTargets() {
  return useQuery({
    queryKey: ['backup', 'targets'],
    queryFn: ({ signal }) => api.get<{ items: BackupTarget[] }>(TARGETS, undefined, signal),
    select: (r) => r.items,
  });
}

/** Registers a storage target. */
export function useCreateTarget() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateBackupTarget) => api.post<BackupTarget>(TARGETS, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup', 'targets'] }),
  });
}

/** Changes a target at the version it was read (412 when someone changed it meanwhile). */
export function useUpdateTarget(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, version }: { patch: UpdateBackupTarget; version: number }) =>
      api.patch<BackupTarget>(`${TARGETS}/${enc(id)}`, patch, `"v${version}"`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup', 'targets'] }),
  });
}

/** Deletes a target no repository uses. */
export function useDeleteTarget() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${TARGETS}/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup', 'targets'] }),
  });
}

/** Tests a target: writes, reads, lists and deletes a probe. */
export function useTestTarget() {
  return useMutation({
    mutationFn: (id: string) => api.post<TargetTestResult>(`${TARGETS}/${enc(id)}/test`),
  });
}

/** Every policy, by name. */
export function usePolicies() {
  return useQuery({
    queryKey: ['backup', 'policies'],
    queryFn: ({ signal }) => api.get<{ items: BackupPolicy[] }>(POLICIES, undefined, signal),
    select: (r) => r.items,
  });
}

/** One policy. */
export function usePolicy(id: string) {
  return useQuery({
    queryKey: ['backup', 'policies', id],
    queryFn: ({ signal }) => api.get<BackupPolicy>(`${POLICIES}/${enc(id)}`, undefined, signal),
  });
}

/** Creates a policy. */
export function useCreatePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateBackupPolicy) => api.post<BackupPolicy>(POLICIES, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup'] }),
  });
}

/** Changes a policy at the version it was read. */
export function useUpdatePolicy(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, version }: { patch: UpdateBackupPolicy; version: number }) =>
      api.patch<BackupPolicy>(`${POLICIES}/${enc(id)}`, patch, `"v${version}"`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup'] }),
  });
}

/** Deletes a policy (its devices fall back to the next assignment that names them). */
export function useDeletePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${POLICIES}/${enc(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup'] }),
  });
}

/** Assigns a policy to an item, location, team or class. */
export function useAssignPolicy(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: AssignPolicy) => api.post<BackupPolicy>(`${POLICIES}/${enc(id)}/assignments`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup'] }),
  });
}

/** Removes one of a policy's assignments. */
export function useUnassignPolicy(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (assignmentId: string) =>
      api.delete(`${POLICIES}/${enc(id)}/assignments/${enc(assignmentId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['backup'] }),
  });
}

/** The devices a policy covers now, and why. */
export function usePolicyCoverage(id: string) {
  return useQuery({
    queryKey: ['backup', 'policies', id, 'devices'],
    queryFn: ({ signal }) => api.get<PolicyCoverage>(`${POLICIES}/${enc(id)}/devices`, undefined, signal),
    select: (r) => r.devices,
  });
}
