// Queries and mutations of the caller's own API tokens.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken, CreatedToken, CreateToken } from '@contracts';
import { api } from '../../api/client';

const key = ['tokens'] as const;

/** The caller's tokens. */
export function useTokens() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<{ items: ApiToken[] }>('/api/v1/tokens', undefined, signal),
    select: (list) => list.items,
  });
}

/** Creates a token; the answer carries the secret, which is never shown again. */
export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateToken) => api.post<CreatedToken>('/api/v1/tokens', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
}

/** Revokes a token. */
export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
}

/** State of a token at `now`. */
export function tokenStatus(t: ApiToken, now = Date.now()): 'active' | 'revoked' | 'expired' {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && new Date(t.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}
