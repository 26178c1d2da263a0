// The JSON API beside a CLI test: the test drives `steward …` and sets up or checks through the API.
import { afterAll, beforeAll } from 'vitest';
import { adminApiToken, SLOW_CLI_MS, startTestServer, type TestServer } from './server.js';

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

/** A server for a CLI suite, as {@link useCliServer} keeps it. */
export interface CliServer {
  /** The running server (set once the suite's beforeAll ran). */
  readonly srv: TestServer;
  /** The environment `steward …` runs with: the server's, its URL and an admin's API token. */
  readonly env: Record<string, string>;
  /** The JSON API as that admin. */
  readonly api: ReturnType<typeof bearerApi>;
}

/**
 * Starts a Steward server before the suite's tests (call it in a `describe` body) and stops it after them, with
 * an admin's API token in `env` for the CLI and `api` for setting up and checking through the API.
 */
export function useCliServer(opts: Parameters<typeof startTestServer>[0] = {}): CliServer {
  let srv: TestServer | undefined;
  let env: Record<string, string> = {};
  const started = () => {
    if (!srv)
      throw new Error('the CLI test server is not started yet (use it inside a test or a later hook)');
    return srv;
  };
  beforeAll(async () => {
    srv = await startTestServer(opts);
    env = { ...srv.env, STEWARD_URL: srv.url, STEWARD_TOKEN: await adminApiToken(srv) };
  }, SLOW_CLI_MS);
  afterAll(async () => {
    await srv?.stop();
  });
  return {
    get srv() {
      return started();
    },
    get env() {
      return env;
    },
    api: bearerApi(
      () => started().url,
      () => env.STEWARD_TOKEN,
    ),
  };
}
