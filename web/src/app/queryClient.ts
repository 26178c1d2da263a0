import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { dropSession, sessionKey } from '../features/auth/session';

/**
 * The app's query client. A 401 from any request means the session has ended (expired, signed out elsewhere):
 * the session is dropped, and the sign-in gate takes the user to the sign-in page.
 */
export function createQueryClient(): QueryClient {
  const onError = (error: unknown, key?: readonly unknown[]) => {
    if (error instanceof ApiError && error.status === 401 && key?.[0] !== sessionKey[0]) dropSession(client);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
    mutationCache: new MutationCache({
      onError: (error, _v, _c, mutation) => {
        // a wrong password is a 401 too, and must not be read as "session ended"
        if (!(error instanceof ApiError && error.code === 'invalid_credentials'))
          onError(error, mutation.options.mutationKey);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
    },
  });
  return client;
}
