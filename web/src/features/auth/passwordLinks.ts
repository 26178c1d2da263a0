// First run and password links: whether the first admin is still missing, "forgot password", and setting a
// password from an e-mailed one-time link. All public: nobody is signed in on these pages.
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ForgotPassword, SetPassword, SetupState } from '@contracts';
import { api } from '../../api/client';

/** Whether this installation still needs its first admin (shown as a hint on the sign-in page). */
export function useSetupState() {
  return useQuery({
    queryKey: ['setup'],
    queryFn: () => api.get<SetupState>('/api/v1/setup'),
    staleTime: 60_000,
    retry: false,
  });
}

/** Asks for a reset link; the answer is the same for every address. */
export function useForgotPassword() {
  return useMutation({
    mutationFn: (input: ForgotPassword) =>
      api.post<{ message: string }>('/api/v1/auth/forgot-password', input),
  });
}

/** Sets a password with the token of a link. */
export function useSetPassword() {
  return useMutation({
    mutationFn: (input: SetPassword) => api.post<void>('/api/v1/auth/set-password', input),
  });
}

/** The token and kind of link from the page's fragment (`#invite=…` or `#reset=…`), never sent to a server. */
export function linkFromHash(hash: string): { purpose: 'invite' | 'reset'; token: string } | undefined {
  const m = /^#(invite|reset)=([A-Za-z0-9_-]{20,100})$/.exec(hash);
  return m ? { purpose: m[1] as 'invite' | 'reset', token: m[2] ?? '' } : undefined;
}
