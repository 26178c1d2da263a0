// Queries and mutations of the credential vault. Revealed secrets are never cached: a reveal is a mutation whose
// answer lives only in the component that asked for it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  GeneratedPassword,
  PasswordPolicy,
  RevealedSecret,
  SetSecret,
  SetShares,
  VaultEntry,
  VaultListItem,
  VaultSettings,
} from '@contracts';
import { api } from '../../api/client';

const base = (id: string) => `/api/v1/vault/${encodeURIComponent(id)}`;

/** A credential item's vault entry (no secret). */
export function useVaultEntry(id: string) {
  return useQuery({
    queryKey: ['vault', id],
    queryFn: ({ signal }) => api.get<VaultEntry>(base(id), undefined, signal),
  });
}

/** The passwords shared with me. */
export function useMyPasswords() {
  return useQuery({
    queryKey: ['vault', 'mine'],
    queryFn: ({ signal }) => api.get<{ items: VaultListItem[] }>('/api/v1/vault', undefined, signal),
  });
}

function useEntryWrite<B>(id: string, write: (body: B) => Promise<VaultEntry>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (e) => {
      qc.setQueryData(['vault', id], e);
      void qc.invalidateQueries({ queryKey: ['vault', 'mine'] });
    },
  });
}

/** A new version of the secret. */
export const useSetSecret = (id: string) =>
  useEntryWrite(id, (b: SetSecret) => api.put<VaultEntry>(`${base(id)}/secret`, b));
/** Rotation settings. */
export const useVaultSettings = (id: string) =>
  useEntryWrite(
    id,
    async (b: VaultSettings) => (await api.patch<VaultEntry>(`${base(id)}/settings`, b, '*')).data,
  );
/** Who the credential is shared with. */
export const useShares = (id: string) =>
  useEntryWrite(id, (b: SetShares) => api.put<VaultEntry>(`${base(id)}/shares`, b));
/** An earlier version made the newest again. */
export const useRestore = (id: string) =>
  useEntryWrite(id, (b: { version: number; reason: string }) =>
    api.post<VaultEntry>(`${base(id)}/versions/${b.version}/restore`, { reason: b.reason }),
  );

/** Reveals the secret with a reason; the entry is reloaded so the reveal shows on the item. */
export function useReveal(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { reason: string; version?: number }) =>
      api.post<RevealedSecret>(`${base(id)}/reveal`, b),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['vault', id] }),
  });
}

/** A strong password made by the server. */
export function useGenerate() {
  return useMutation({
    mutationFn: (p: Partial<PasswordPolicy>) => api.post<GeneratedPassword>('/api/v1/vault/generate', p),
  });
}
