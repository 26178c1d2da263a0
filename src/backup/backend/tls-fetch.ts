/**
 * A `fetch` for https URLs that trusts given root certificates (restic's `--cacert`): Node 20's global fetch
 * cannot be given a CA without the undici package, so such requests go through node:https, and their answers
 * are wrapped in a standard `Response`. Other URLs use the global fetch.
 */
import { Agent, request } from 'node:https';
import { Readable } from 'node:stream';

/** A fetch that trusts `ca` (PEM certificates) instead of the system's roots for https URLs. */
export function fetchTrusting(ca: string[]): typeof fetch {
  const agent = new Agent({ ca, keepAlive: false });
  const tlsFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:') return fetch(input, init);
    const method = init.method ?? 'GET';
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          headers: init.headers as Record<string, string> | undefined,
          agent,
          signal: init.signal ?? undefined,
        },
        (res) => {
          const status = res.statusCode ?? 502;
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v === undefined) continue;
            for (const x of Array.isArray(v) ? v : [v]) headers.append(k, x);
          }
          const empty = method === 'HEAD' || status === 204 || status === 304;
          if (empty) res.resume();
          const body = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, statusText: res.statusMessage, headers }));
        },
      );
      req.on('error', reject);
      const body = init.body as Uint8Array | string | null | undefined;
      req.end(body ?? undefined);
    });
  };
  return tlsFetch;
}
