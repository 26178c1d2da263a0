// Queries and mutations of the compliance register.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AddMapping,
  ComplianceControl,
  ComplianceControlList,
  ComplianceEvidence,
  ComplianceEvidencePage,
  ComplianceFramework,
  ComplianceFrameworkList,
  ImportResult,
  UpdateControl,
} from '@contracts';
import { api, request, upload } from '../../api/client';

const root = '/api/v1/compliance';
const control = (id: string) => `${root}/controls/${encodeURIComponent(id)}`;

/** The page of a framework, and of a control. */
export const frameworkPath = (id: string) => `/compliance/frameworks/${id}`;
export const controlPath = (id: string) => `/compliance/controls/${id}`;

/** Where a framework's audit export of a period is downloaded. */
export const exportUrl = (id: string, from: string, to: string) =>
  `${root}/frameworks/${encodeURIComponent(id)}/export?from=${from}&to=${to}`;

/** The frameworks I see and the control sets Steward ships. */
export function useFrameworks() {
  return useQuery({
    queryKey: ['compliance', 'frameworks'],
    queryFn: ({ signal }) => api.get<ComplianceFrameworkList>(`${root}/frameworks`, undefined, signal),
  });
}

/** One framework. */
export function useFramework(id: string) {
  return useQuery({
    queryKey: ['compliance', 'frameworks', id],
    queryFn: ({ signal }) => api.get<ComplianceFramework>(`${root}/frameworks/${id}`, undefined, signal),
  });
}

/** A framework's controls I see. */
export function useControls(frameworkId: string) {
  return useQuery({
    queryKey: ['compliance', 'frameworks', frameworkId, 'controls'],
    queryFn: ({ signal }) =>
      api.get<ComplianceControlList>(`${root}/frameworks/${frameworkId}/controls`, undefined, signal),
  });
}

/** One control. */
export function useControl(id: string) {
  return useQuery({
    queryKey: ['compliance', 'controls', id],
    queryFn: ({ signal }) => api.get<ComplianceControl>(control(id), undefined, signal),
  });
}

/** A control's evidence, newest first (the first 100). */
export function useEvidence(id: string) {
  return useQuery({
    queryKey: ['compliance', 'controls', id, 'evidence'],
    queryFn: ({ signal }) =>
      api.get<ComplianceEvidencePage>(`${control(id)}/evidence`, { limit: 100 }, signal),
  });
}

function useRegisterMutation<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['compliance'] }),
  });
}

/** Loads a control set Steward ships. */
export const useLoadBuiltin = () =>
  useRegisterMutation((key: string) => api.post<ImportResult>(`${root}/frameworks`, { key }));

/** Imports a control set file (JSON or CSV). */
export const useImportFile = () =>
  useRegisterMutation(
    async (f: { content: Blob; format: 'json' | 'csv'; key: string; name: string }) =>
      (
        await request<ImportResult>(
          'POST',
          `${root}/import?${new URLSearchParams({
            format: f.format,
            ...(f.format === 'csv' ? { key: f.key, name: f.name } : {}),
          }).toString()}`,
          { text: { content: f.content, type: 'application/octet-stream' } },
        )
      ).data,
  );

/** Changes a control's applicability, owner or review cycle. */
export const useUpdateControl = (id: string) =>
  useRegisterMutation(
    async (b: UpdateControl) => (await request<ComplianceControl>('PATCH', control(id), { body: b })).data,
  );

/** Records a review. */
export const useMarkReviewed = (id: string) =>
  useRegisterMutation(() => api.post<ComplianceControl>(`${control(id)}/reviewed`));

/** Maps an evidence query. */
export const useAddMapping = (id: string) =>
  useRegisterMutation((b: AddMapping) => api.post<ComplianceControl>(`${control(id)}/mappings`, b));

/** Ends a mapping. */
export const useEndMapping = (id: string) =>
  useRegisterMutation(
    async (mappingId: string) =>
      (await request<ComplianceControl>('DELETE', `${control(id)}/mappings/${mappingId}`)).data,
  );

/** Collects the control's evidence now. */
export const useCollect = (id: string) =>
  useRegisterMutation(() => api.post<ComplianceControl>(`${control(id)}/collect`));

/** Uploads evidence files with a note. */
export const useUploadEvidence = (id: string) =>
  useRegisterMutation((b: { files: File[]; note: string }) => {
    const form = new FormData();
    if (b.note.trim()) form.append('note', b.note.trim());
    for (const f of b.files) form.append('file', f);
    return upload<{ items: ComplianceEvidence[] }>(`${control(id)}/evidence`, form);
  });
