// Typed fetch client for Steward's JSON API. The session lives in an httpOnly cookie; the CSRF token
// from the session is kept in memory only and sent on every write.
import type { Problem } from '@contracts';
import { translate } from '../i18n/translate';

/** One per-field message from a problem document; `path` is normalised to a dotted path (`teamIds.0`). */
export interface FieldError {
  path: string;
  message: string;
}

/** A cursor page as every list endpoint answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An error answer of the API (or of the network), parsed from `application/problem+json` when possible. */
export class ApiError extends Error {
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  /** Steward's stable error code (`invalid`, `stale`, `forbidden`, ...). */
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];

  constructor(status: number, code: string, title: string, detail?: string, errors: FieldError[] = []) {
    super(detail ?? title);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }

  /** Field messages keyed by the first segment of their path (`email`, `teamIds`); the first message wins. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      const key = e.path.split('.')[0] ?? '';
      if (key !== '' && out[key] === undefined)
        out[key] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
    }
    return out;
  }
}

/** True when `e` is an ApiError with the given code. */
export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

/** The error of a request that got no answer, in the user's language. */
function networkError(): ApiError {
  return new ApiError(
    0,
    'network',
    translate('common.unreachableTitle'),
    translate('common.checkConnection'),
  );
}

/** A readable one-line message for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.detail !== undefined && e.detail !== '' ? e.detail : e.title;
  if (e instanceof Error) return e.message;
  return translate('common.wrong');
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session (null after sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Query-string values; undefined, null and empty strings are left out. */
export type QueryParams = Record<string, string | number | boolean | undefined | null>;

/** Builds `path?query`, leaving out empty values. */
export function withQuery(path: string, query?: QueryParams): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** Turns `/email`, `body.email`, `body/teamIds/0` or `["teamIds",0]`-style paths into `email`, `teamIds.0`. */
function normalisePath(path: string): string {
  return path
    .replace(/^\/+/, '')
    .replace(/[/[\]]+/g, '.')
    .replace(/^body\./, '')
    .replace(/\.+$/, '')
    .replace(/^\.+/, '');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function toApiError(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body: unknown = await res.json();
      if (isRecord(body) && typeof body.code === 'string') {
        const p = body as Partial<Problem>;
        const errors = Array.isArray(p.errors)
          ? p.errors
              .filter((e) => isRecord(e) && typeof e.message === 'string')
              .map((e) => ({ path: normalisePath(String(e.path)), message: e.message }))
          : [];
        return new ApiError(res.status, p.code ?? 'error', p.title ?? res.statusText, p.detail, errors);
      }
    } catch {
      // fall through to the generic error below
    }
  }
  return new ApiError(res.status, `http_${res.status}`, res.statusText || `HTTP ${res.status}`);
}

/** Options of one request. */
export interface RequestOptions {
  body?: unknown;
  /** The ETag of the version being changed, sent as `If-Match`. */
  ifMatch?: string;
  signal?: AbortSignal;
  /** A non-JSON body (e.g. a CSV file, or a file's bytes as a Blob) with its media type; used instead of `body`. */
  text?: { content: string | Blob; type: string };
  /** Let the request outlive the page (a report sent as the person leaves it). */
  keepalive?: boolean;
}

/** A decoded answer with its `ETag` header. */
export interface Tagged<T> {
  data: T;
  etag: string | null;
}

/** Sends one request and decodes the JSON answer; throws ApiError on any non-2xx answer. */
export async function request<T>(
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<Tagged<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.text !== undefined) headers['Content-Type'] = opts.text.type;
  else if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  if (opts.ifMatch !== undefined) headers['If-Match'] = opts.ifMatch;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.text?.content ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: opts.signal,
      keepalive: opts.keepalive,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw networkError();
  }
  if (!res.ok) throw await toApiError(res);
  const etag = res.headers.get('etag');
  if (res.status === 204 || res.headers.get('content-length') === '0') {
    return { data: undefined as T, etag };
  }
  return { data: (await res.json()) as T, etag };
}

/** Uploads a multipart form (files) and decodes the JSON answer; throws ApiError on any non-2xx answer. */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    // No Content-Type: the browser sets multipart/form-data with its boundary.
    res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: form });
  } catch {
    throw networkError();
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

/** Shorthands over `request` for the common verbs. */
export const api = {
  /** GET and decode. */
  get: async <T>(path: string, query?: QueryParams, signal?: AbortSignal): Promise<T> =>
    (await request<T>('GET', withQuery(path, query), { signal })).data,
  /** GET with the ETag, for a later `patch`. */
  getTagged: <T>(path: string, signal?: AbortSignal): Promise<Tagged<T>> =>
    request<T>('GET', path, { signal }),
  /** POST a JSON body. */
  post: async <T>(path: string, body?: unknown): Promise<T> =>
    (await request<T>('POST', path, { body })).data,
  /** PUT a JSON body (a whole resource of the caller's own, e.g. preferences). */
  put: async <T>(path: string, body: unknown): Promise<T> => (await request<T>('PUT', path, { body })).data,
  /** PUT a whole resource with `If-Match: etag` (settings read with `getTagged`); answers it with its new ETag. */
  putTagged: <T>(path: string, body: unknown, etag: string): Promise<Tagged<T>> =>
    request<T>('PUT', path, { body, ifMatch: etag }),
  /** PATCH with `If-Match: etag`; answers the stored state with its new ETag. */
  patch: <T>(path: string, body: unknown, etag: string): Promise<Tagged<T>> =>
    request<T>('PATCH', path, { body, ifMatch: etag }),
  /** DELETE; answers nothing. */
  delete: async (path: string): Promise<void> => {
    await request<void>('DELETE', path);
  },
};
