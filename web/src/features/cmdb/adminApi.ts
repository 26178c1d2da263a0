// Queries and mutations of the inventory's reports and administration: licence compliance, CSV import,
// discovery agents and their enrolment tokens, and item classes.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Agent,
  CiClass,
  CreateCiClass,
  CreateEnrolmentToken,
  CsvImportResult,
  LicenceCompliance,
  UpdateCiClass,
} from '@contracts';
import { api, request, withQuery, type Page } from '../../api/client';

/** Seats bought against installations found, per licence, and the products no licence covers. */
export function useLicenceCompliance() {
  return useQuery({
    queryKey: ['cis', 'licences'],
    queryFn: ({ signal }) => api.get<LicenceCompliance>('/api/v1/licences/compliance', undefined, signal),
  });
}

/** The address of the CSV export of the items matching `query` (a plain download link). */
export function exportUrl(query: Record<string, string | undefined> = {}): string {
  return withQuery('/api/v1/cis/export.csv', query);
}

/** Sends a CSV file to the import: a dry run previews, a real run writes all rows or none. */
export function useImportCsv() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ csv, dryRun }: { csv: string; dryRun: boolean }) =>
      (
        await request<CsvImportResult>('POST', withQuery('/api/v1/cis/import', { dryRun: String(dryRun) }), {
          text: { content: csv, type: 'text/csv' },
        })
      ).data,
    onSuccess: (r) => (r.dryRun ? undefined : qc.invalidateQueries({ queryKey: ['cis'] })),
  });
}

/** An enrolled discovery agent. */
/** The enrolled discovery agents, newest first, 100 at a time (an estate has thousands). */
export function useAgents() {
  return useInfiniteQuery({
    queryKey: ['agents'],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Agent>>('/api/v1/agents', { cursor: pageParam, limit: 100 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Revokes an agent's token: its next report is refused. */
export function useRevokeAgent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/v1/agents/${encodeURIComponent(id)}/revoke`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agents'] }),
  });
}

/** A new enrolment token, as the API answers it once. */
export interface NewEnrolmentToken {
  id: string;
  token: string;
  usesLeft: number;
  expiresAt: string;
}

/** Makes an enrolment token (shown once). */
export function useCreateEnrolmentToken() {
  return useMutation({
    mutationFn: (input: Partial<CreateEnrolmentToken>) =>
      api.post<NewEnrolmentToken>('/api/v1/agents/enrolment-tokens', input),
  });
}

const classPath = (key: string) => `/api/v1/ci-classes/${encodeURIComponent(key)}`;

/** One class with its ETag (for an edit). */
export function useClass(key: string) {
  return useQuery({
    queryKey: ['ci-classes', 'one', key],
    queryFn: ({ signal }) => api.getTagged<CiClass>(classPath(key), signal),
  });
}

/** Adds a class (admins). */
export function useCreateClass() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCiClass) => api.post<CiClass>('/api/v1/ci-classes', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['ci-classes'] }),
  });
}

/** Changes a class's name or fields under its ETag (admins). */
export function useUpdateClass(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, etag }: { patch: UpdateCiClass; etag: string }) =>
      api.patch<CiClass>(classPath(key), patch, etag),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['ci-classes'] }),
  });
}
