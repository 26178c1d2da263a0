// What the portal reads besides tickets: the requester's own devices (for the ticket form), their backups and
// the restores of their files ("Get my files back").
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BackupRestore,
  BrowseFolder,
  BrowseSnapshots,
  Ci,
  MyDevices,
  SelfServiceRestore,
  SelfServiceResult,
} from '@contracts';
import { api } from '../../api/client';

/** The items the signed-in user owns (empty when none). */
export function useMyDevices(): Ci[] {
  const q = useQuery({
    queryKey: ['cis', 'mine'],
    queryFn: ({ signal }) => api.get<{ items: Ci[] }>('/api/v1/cis/mine', undefined, signal),
  });
  return q.data?.items ?? [];
}

/** The signed-in user's computers, with whether each has backups to restore from. */
export function useMyBackedUpDevices() {
  return useQuery({
    queryKey: ['portal', 'devices'],
    queryFn: ({ signal }) => api.get<MyDevices>('/api/v1/portal/devices', undefined, signal),
  });
}

/** The backups (snapshots) of one of my computers, newest first (the browse API). */
export function useMySnapshots(ciId: string) {
  return useQuery({
    queryKey: ['portal', 'snapshots', ciId],
    enabled: ciId !== '',
    queryFn: ({ signal }) =>
      api.get<BrowseSnapshots>(`/api/v1/backup/browse/${ciId}/snapshots`, undefined, signal),
  });
}

/** A folder in one of those backups (the browse API: its first 1,000 entries). */
export function useSnapshotFolder(ciId: string, snapshotId: string, path: string) {
  return useQuery({
    queryKey: ['portal', 'folder', ciId, snapshotId, path],
    enabled: ciId !== '' && snapshotId !== '',
    queryFn: ({ signal }) =>
      api.get<BrowseFolder>(
        `/api/v1/backup/browse/${ciId}/snapshots/${snapshotId}/folder`,
        { path, limit: 1000 },
        signal,
      ),
  });
}

/** "Get my files back": opens the service request and its restore. */
export function useSelfServiceRestore() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SelfServiceRestore) => api.post<SelfServiceResult>('/api/v1/portal/restores', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tickets', 'list'] }),
  });
}

/** The restores carried out for a ticket, refreshed every two seconds while one is under way. */
export function useTicketRestores(ticketId: string) {
  return useQuery({
    queryKey: ['restores', 'ticket', ticketId],
    queryFn: ({ signal }) =>
      api.get<{ items: BackupRestore[] }>('/api/v1/backup/restores', { ticketId }, signal),
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.state === 'queued' || r.state === 'running') ? 2000 : false,
  });
}

/** Cancels a queued or running restore; the ticket's restores are read again (its state is "Cancelled"). */
export function useCancelRestore(ticketId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (r: BackupRestore) => api.post<BackupRestore>(`/api/v1/backup/restores/${r.id}/cancel`),
    onSettled: () => qc.invalidateQueries({ queryKey: ['restores', 'ticket', ticketId] }),
  });
}
