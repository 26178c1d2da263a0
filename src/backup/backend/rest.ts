/**
 * restic's REST backend protocol, version 2 (as spoken by rest-server and `rclone serve restic`).
 * Requests go through Node's fetch (undici, keep-alive connection pool). 5xx answers and network
 * errors are retried with exponential backoff; 4xx answers never are.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BackendNotFoundError,
  DIR_OF,
  existsByStat,
  type Backend,
  type ByteStream,
  type FileHandle,
  type FileInfo,
  type FileType,
} from './backend.js';
import { isCutUpload, requireSameAsStored, watchSource } from './stream.js';

const V2 = 'application/vnd.x.restic.rest.v2';
const SAFE_NAME = /^[0-9a-zA-Z_-][0-9a-zA-Z._-]*$/;

/** Settings of a {@link RestBackend}. */
export interface RestBackendOptions {
  /** Base URL of the repository, e.g. `http://user:pass@host:8000/repo/`; credentials may be in the URL. */
  url: string;
  /** User name for HTTP basic auth (overrides the URL's). */
  username?: string;
  /** Password for HTTP basic auth (overrides the URL's). */
  password?: string;
  /** Retries after a 5xx answer or a network error (default 5). */
  retries?: number;
  /** First backoff delay in ms, doubled on each retry (default 250). */
  retryBaseMs?: number;
  /** Per-request timeout in ms (default 10 minutes, enough for a large pack on a slow link). */
  timeoutMs?: number;
  /** The fetch to use (default the global one; `--cacert` gives one trusting its certificates). */
  fetch?: typeof fetch;
}

/** Redacts the password of a URL for messages. */
function redact(u: URL): string {
  const c = new URL(u.href);
  c.password = '';
  return c.href;
}

/** Short description of a fetch failure (undici wraps the socket error in `cause`). */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause && typeof cause.message === 'string') return cause.message;
    return err.message;
  }
  return String(err);
}

/** A restic repository behind a REST server. */
export class RestBackend implements Backend {
  /** `rest:` location without the password. */
  readonly location: string;
  private readonly base: URL;
  private readonly authHeader: string | undefined;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  /** Parses the URL; no request is made until the first operation. */
  constructor(opts: RestBackendOptions) {
    const u = new URL(opts.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`rest: unsupported URL scheme ${u.protocol}`);
    const user = opts.username ?? decodeURIComponent(u.username);
    const pass = opts.password ?? decodeURIComponent(u.password);
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    this.location = `rest:${redact(u)}`;
    u.username = '';
    u.password = '';
    this.base = u;
    this.authHeader = user || pass ? `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` : undefined;
    this.retries = opts.retries ?? 5;
    this.retryBaseMs = opts.retryBaseMs ?? 250;
    this.timeoutMs = opts.timeoutMs ?? 600_000;
    this.fetch = opts.fetch ?? fetch;
  }

  private path(h: FileHandle): string {
    if (h.type === 'config') return 'config';
    // Names go into URLs: only restic's id characters, so nothing can escape the repository.
    if (!SAFE_NAME.test(h.name))
      throw new Error(`${this.location}: invalid file name ${JSON.stringify(h.name)}`);
    return `${DIR_OF[h.type]}/${h.name}`;
  }

  /** One HTTP exchange with retries on 5xx and network errors. Returns the final response (any status < 500). */
  private async request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: Uint8Array,
  ): Promise<Response> {
    const url = new URL(path, this.base);
    const h: Record<string, string> = { ...headers };
    if (this.authHeader) h.Authorization = this.authHeader;
    for (let attempt = 0; ; attempt++) {
      let res: Response | undefined;
      let failure: string;
      try {
        res = await this.fetch(url, {
          method,
          headers: h,
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (res.status < 500) return res;
        failure = `HTTP ${res.status} ${res.statusText}`;
        await res.body?.cancel();
      } catch (err) {
        failure = describe(err);
      }
      if (attempt >= this.retries) {
        throw new Error(
          `${this.location}: ${method} /${path} failed after ${attempt + 1} attempts: ${failure}`,
        );
      }
      await new Promise((r) => setTimeout(r, this.retryBaseMs * 2 ** attempt));
    }
  }

  /** Turns a non-2xx answer into a clear error (404 into {@link BackendNotFoundError} when a handle is given). */
  private async fail(res: Response, what: string, h?: FileHandle): Promise<never> {
    const text = (await res.text().catch(() => '')).trim().slice(0, 200);
    if (res.status === 404 && h) throw new BackendNotFoundError(h);
    if (res.status === 401 || res.status === 403) {
      throw new Error(
        `${this.location}: ${what}: access denied (HTTP ${res.status}); check the user name and password`,
      );
    }
    throw new Error(
      `${this.location}: ${what}: HTTP ${res.status} ${res.statusText}${text ? `: ${text}` : ''}`,
    );
  }

  /** Creates the repository on the server (`POST /?create=true`). */
  async create(): Promise<void> {
    if (await this.exists({ type: 'config', name: '' }))
      throw new Error(`${this.location}: a repository already exists here`);
    const res = await this.request('POST', '?create=true');
    if (!res.ok) await this.fail(res, 'create repository');
    await res.body?.cancel();
  }

  /** Uploads a file; an existing file is kept if identical and refused if different. */
  async save(h: FileHandle, data: Uint8Array): Promise<void> {
    if ((await this.exists(h)) && !(await isCutUpload(this, h, data.length))) {
      const old = await this.load(h);
      if (old.equals(data)) return;
      throw new Error(`${this.location}: ${this.path(h)} already exists with different content`);
    }
    const res = await this.request(
      'POST',
      this.path(h),
      { 'Content-Type': 'application/octet-stream' },
      data,
    );
    if (res.status === 403 && (await this.sameContent(h, data))) {
      // rest-server refuses to overwrite: a retried POST whose first try was stored lands here.
      await res.body?.cancel();
      return;
    }
    if (!res.ok) await this.fail(res, `save ${this.path(h)}`);
    await res.body?.cancel();
  }

  /**
   * Streams an upload in one POST with its Content-Length: the server stores the file only once all of it has
   * arrived. A failing stream aborts the request. Not retried (a stream cannot be replayed; the uploader retries).
   */
  async saveStream(h: FileHandle, data: ByteStream, length: number): Promise<void> {
    const src = watchSource(data, length);
    const path = this.path(h);
    try {
      if ((await this.exists(h)) && !(await isCutUpload(this, h, length)))
        return await requireSameAsStored(this, h, src, length, path);
      const res = await this.post(path, src.chunks, length);
      if (res.status >= 200 && res.status < 300) return;
      const what = `save ${path}`;
      if (res.status === 401 || res.status === 403)
        throw new Error(`${this.location}: ${what}: access denied (HTTP ${res.status})`);
      throw new Error(`${this.location}: ${what}: HTTP ${res.status}${res.text ? `: ${res.text}` : ''}`);
    } catch (err) {
      const failed = src.failure();
      if (failed) throw failed.error;
      if (err instanceof Error && err.message.startsWith(this.location)) throw err;
      throw new Error(`${this.location}: save ${path}: ${describe(err)}`, { cause: err });
    }
  }

  /** One streamed POST (node:http: a known Content-Length, and the request aborted when the body fails). */
  private post(
    path: string,
    body: AsyncIterable<Buffer>,
    length: number,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(path, this.base);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': length,
    };
    if (this.authHeader) headers.Authorization = this.authHeader;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: 'POST', headers, timeout: this.timeoutMs }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (text.length < 200) text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: text.trim().slice(0, 200) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      pipeline(Readable.from(body), req).catch(reject);
    });
  }

  private async sameContent(h: FileHandle, data: Uint8Array): Promise<boolean> {
    try {
      return (await this.load(h)).equals(data);
    } catch {
      return false;
    }
  }

  /** Downloads a file or a byte range of it. */
  async load(h: FileHandle, offset = 0, length?: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    const headers: Record<string, string> = {};
    if (offset > 0 || length !== undefined) {
      headers.Range = `bytes=${offset}-${length === undefined ? '' : offset + length - 1}`;
    }
    const res = await this.request('GET', this.path(h), headers);
    if (!res.ok) await this.fail(res, `load ${this.path(h)}`, h);
    let buf = Buffer.from(await res.arrayBuffer());
    // A server that ignores Range answers 200 with the whole file.
    if (res.status === 200 && headers.Range !== undefined)
      buf = buf.subarray(offset, length === undefined ? undefined : offset + length);
    return buf;
  }

  /** Size of a stored file (`HEAD`). */
  async stat(h: FileHandle): Promise<FileInfo> {
    const res = await this.request('HEAD', this.path(h));
    if (!res.ok) await this.fail(res, `stat ${this.path(h)}`, h);
    const len = Number(res.headers.get('content-length'));
    if (!Number.isFinite(len)) throw new Error(`${this.location}: stat ${this.path(h)}: no Content-Length`);
    return { name: h.name, size: len };
  }

  /** Deletes a stored file. */
  async remove(h: FileHandle): Promise<void> {
    // rclone answers 200 for a missing file; check first so every backend reports "not found" alike.
    if (!(await this.exists(h))) throw new BackendNotFoundError(h);
    const res = await this.request('DELETE', this.path(h));
    if (!res.ok) await this.fail(res, `remove ${this.path(h)}`, h);
    await res.body?.cancel();
  }

  /** Lists one kind of file with sizes (v2 listing; a v1 answer is completed with `HEAD`s). */
  async *list(type: Exclude<FileType, 'config'>): AsyncIterable<FileInfo> {
    const res = await this.request('GET', `${DIR_OF[type]}/`, { Accept: V2 });
    if (res.status === 404) return;
    if (!res.ok) await this.fail(res, `list ${DIR_OF[type]}`);
    const body: unknown = await res.json();
    if (!Array.isArray(body)) throw new Error(`${this.location}: list ${DIR_OF[type]}: unexpected answer`);
    const items: unknown[] = body;
    for (const item of items) {
      if (typeof item === 'string') {
        yield await this.stat({ type, name: item });
      } else if (typeof item === 'object' && item !== null) {
        const { name, size } = item as { name?: unknown; size?: unknown };
        if (typeof name === 'string' && typeof size === 'number') yield { name, size };
      }
    }
  }

  /** True when the file exists. */
  async exists(h: FileHandle): Promise<boolean> {
    return existsByStat(this, h);
  }

  /** Nothing to release: idle keep-alive sockets of the shared pool close on their own. */
  async close(): Promise<void> {
    // Connections belong to Node's global fetch dispatcher, shared with other users of fetch.
  }
}
