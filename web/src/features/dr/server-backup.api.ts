// Queries and mutations of Steward's own backup (admins): its settings, its runs, a run on demand.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ServerBackupRun, ServerBackupSettings, UpdateServerBackupSettings } from '@contracts';
import { api, type Page } from '../../api/client';

const SETTINGS = '/api/v1/dr/server-backup';
const RUNS = '/api/v1/dr/server-backup/runs';

/** Where and when Steward backs itself up; polled while a run is going on. */
export function useServerBackupSettings() {
  return useQuery({
    queryKey: ['server-backup', 'settings'],
    queryFn: ({ signal }) => api.get<ServerBackupSettings>(SETTINGS, undefined, signal),
    refetchInterval: (q) => (q.state.data?.runningSince ? 2000 : false),
  });
}

/** Saves the settings at the version they were read (412 when someone saved meanwhile). */
export function useSaveServerBackupSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, version }: { patch: UpdateServerBackupSettings; version: number }) =>
      api.putTagged<ServerBackupSettings>(SETTINGS, patch, `"v${version}"`),
    onSuccess: (r) => qc.setQueryData(['server-backup', 'settings'], r.data),
  });
}

/** The runs, newest first, a page at a time; polled while one is going on. */
export function useServerBackupRuns(pageSize = 20) {
  return useInfiniteQuery({
    queryKey: ['server-backup', 'runs', pageSize],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ServerBackupRun>>(RUNS, { cursor: pageParam, limit: pageSize }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) =>
      q.state.data?.pages.some((p) => p.items.some((r) => r.status === 'running')) ? 2000 : false,
  });
}

/** Starts a backup of Steward now; its outcome shows in the runs. */
export function useBackUpNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ServerBackupRun>(RUNS),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['server-backup'] }),
  });
}
