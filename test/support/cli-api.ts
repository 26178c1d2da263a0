// The JSON API beside a CLI test: the test drives `steward …` and sets up or checks through the API.

/** What a created or read resource answers at least. */
export interface Resource {
  id: string;
  version: number;
}

/**
 * A caller of `url()`'s API with the bearer token `token()` (both read at each call, as a test sets them in
 * its beforeAll), that fails the test on any answer but a 2xx and answers the JSON body.
 */
export function bearerApi(url: () => string, token: () => string | undefined) {
  return async <T = Resource>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    const r = await fetch(`${url()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}
