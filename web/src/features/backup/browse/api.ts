// What the backup browser reads: devices, snapshots, folders, searches and comparisons; download links.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  BrowsableDevices,
  BrowseDiff,
  BrowseFolder,
  BrowseSearchResult,
  BrowseSnapshots,
} from '@contracts';
import { api, withQuery } from '../../../api/client';
import { formatNumber } from '../../../ui/format';

const base = (ciId: string) => `/api/v1/backup/browse/${encodeURIComponent(ciId)}`;

/** The devices the signed-in person may browse the backups of. */
export function useBrowsableDevices() {
  return useQuery({
    queryKey: ['backup-browse', 'devices'],
    queryFn: ({ signal }) => api.get<BrowsableDevices>('/api/v1/backup/browse', undefined, signal),
  });
}

/** A device's snapshots, newest first. */
export function useSnapshots(ciId: string) {
  return useQuery({
    queryKey: ['backup-browse', ciId, 'snapshots'],
    queryFn: ({ signal }) => api.get<BrowseSnapshots>(`${base(ciId)}/snapshots`, undefined, signal),
  });
}

/** One folder of a snapshot, page by page. */
export function useFolder(ciId: string, snapshotId: string, path: string) {
  return useInfiniteQuery({
    queryKey: ['backup-browse', ciId, 'folder', snapshotId, path],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<BrowseFolder>(
        `${base(ciId)}/snapshots/${snapshotId}/folder`,
        { path, cursor: pageParam },
        signal,
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** A search by name across a device's snapshots (nothing while `q` is empty). */
export function useSearch(ciId: string, q: string) {
  return useInfiniteQuery({
    queryKey: ['backup-browse', ciId, 'search', q],
    enabled: q.trim() !== '',
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<BrowseSearchResult>(`${base(ciId)}/search`, { q, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** What changed between two snapshots. */
export function useDiff(ciId: string, from: string, to: string) {
  return useQuery({
    queryKey: ['backup-browse', ciId, 'diff', from, to],
    enabled: from !== '' && to !== '',
    queryFn: ({ signal }) => api.get<BrowseDiff>(`${base(ciId)}/diff`, { from, to }, signal),
  });
}

/** The link that downloads one file of a snapshot (the browser streams it; the session cookie signs it). */
export function fileUrl(ciId: string, snapshotId: string, path: string): string {
  return withQuery(`${base(ciId)}/snapshots/${snapshotId}/file`, { path });
}

/** The link that downloads a folder of a snapshot as a zip. */
export function zipUrl(ciId: string, snapshotId: string, path: string): string {
  return withQuery(`${base(ciId)}/snapshots/${snapshotId}/zip`, { path });
}

/** Bytes for people: 0 B, 18 B, 6.0 MB, 1.2 GB (powers of 1,024, as file managers show them). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${formatNumber(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v < 10 ? Math.round(v * 10) / 10 : Math.round(v))} ${units[i]!}`;
}

/** The app's address of a folder of a snapshot. */
export function folderLink(ciId: string, snapshotId: string, path: string): string {
  return withQuery(`/backups/browse/${ciId}/snapshots/${snapshotId}`, { path: path === '/' ? '' : path });
}
