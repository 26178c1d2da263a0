// The signed-in session, held in the query cache under one key so that every part of the shell agrees on it.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CurrentSession, Login, Session, User } from '@contracts';
import { api, ApiError, setCsrfToken } from '../../api/client';

/** Query key of the current session (`Session`, or null when signed out). */
export const sessionKey = ['session'] as const;

/**
 * Reads the session from the server; null when nobody is signed in. The probe answers 200 either way, so a
 * signed-out visit logs no failed request in the browser's console.
 */
export async function fetchSession(): Promise<Session | null> {
  const { session } = await api.get<CurrentSession>('/api/v1/auth/current');
  setCsrfToken(session?.csrfToken ?? null);
  return session;
}

/** The current session; `data` is null when signed out. */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity, retry: false });
}

/** Forgets everything cached for the signed-out user and marks the session as gone. */
export function dropSession(qc: QueryClient): void {
  setCsrfToken(null);
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  qc.setQueryData(sessionKey, null);
}

/** The signed-in user; only for components rendered behind the sign-in gate. */
export function useCurrentUser(): User {
  const { data } = useSession();
  if (data === null || data === undefined) throw new Error('useCurrentUser outside of a signed-in area');
  return data.user;
}

/** Signs in with e-mail and password and stores the new session. */
export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Login) => api.post<Session>('/api/v1/auth/login', input),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      qc.setQueryData(sessionKey, session);
    },
  });
}

/** Signs out; the local session is dropped even when the server already forgot it. */
export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post<void>('/api/v1/auth/logout');
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 401)) throw e;
      }
    },
    onSuccess: () => dropSession(qc),
  });
}
