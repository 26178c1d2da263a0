import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/**
 * NUL (PostgreSQL text and jsonb cannot hold it) or a UTF-16 surrogate that is not half of a pair (UTF-8
 * cannot encode it: the driver would store U+FFFD instead). With the `u` flag a well-formed pair is one code
 * point outside the range, so only lone halves match.
 */
const BAD_TEXT = /[\0\uD800-\uDFFF]/u;

/** Whether `s` holds neither NUL nor a lone surrogate (text PostgreSQL stores as given). */
export function isWellFormedText(s: string): boolean {
  return !BAD_TEXT.test(s);
}

/** Marks a parsed query whose `key=value` pairs were not all percent-encoded UTF-8 (see {@link parseQuery}). */
const UNDECODABLE = Symbol('undecodable');

/** A parsed query string: each key once, repeated keys as arrays. */
type Query = Record<string, string | string[]> & { [UNDECODABLE]?: string };

/** 400 `invalid_text`, naming where. */
function invalidText(path: string, message: string): AppError {
  return new AppError(400, 'invalid_text', 'Invalid text', message, [{ path, message }]);
}

/** An object as JSON parsing or the query parser makes it (not a stream, a buffer or a class instance). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The path of the first string (value or object key) in `value` that holds NUL or a lone surrogate, or
 * undefined. Iterative, so a deeply nested JSON body cannot overflow the stack.
 */
export function findBadText(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [v, path] = next;
    if (typeof v === 'string') {
      if (BAD_TEXT.test(v)) return path;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, `${path}.${i}`]));
    } else if (isPlainObject(v)) {
      // Only what JSON parsing makes: a stream or buffer a route takes as its body is not walked (a
      // request stream's object graph has cycles and no end).
      for (const [k, x] of Object.entries(v)) {
        if (BAD_TEXT.test(k)) return path;
        stack.push([x, `${path}.${k}`]);
      }
    }
  }
  return undefined;
}

function decodeComponent(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/**
 * Parses a query string as Fastify's default does (`+` is a space, repeated keys make an array), but strictly:
 * a pair that is not percent-encoded UTF-8 (`%FF`, an encoded lone surrogate, a stray `%`) is kept raw and the
 * result is marked, so the request is refused with a 400 instead of searching for mangled text. It cannot
 * throw: it runs inside the router, where an exception would not reach the error handler.
 */
export function parseQuery(qs: string): Query {
  const out: Query = Object.create(null) as Query;
  for (const pair of qs.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decodeComponent(rawKey);
    const value = decodeComponent(rawValue);
    if (key === undefined || value === undefined) out[UNDECODABLE] ??= key ?? rawKey;
    const k = key ?? rawKey;
    const v = value ?? rawValue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Decodes a raw request body as UTF-8; 400 `invalid_text` when it is not (instead of silent U+FFFD). */
export function utf8Body(body: Buffer): string {
  if (!isUtf8(body)) throw invalidText('body', 'the body is not valid UTF-8');
  return body.toString('utf8');
}

/** Refuses NUL and lone surrogates in the path parameters, query and parsed body of a request. */
function checkRequest(req: FastifyRequest): void {
  const query = req.query as Query | undefined;
  const undecodable = query?.[UNDECODABLE];
  if (undecodable !== undefined) {
    throw invalidText(`query.${undecodable}`, 'the query string is not percent-encoded UTF-8');
  }
  const bad =
    findBadText(req.params, 'params') ?? findBadText(query, 'query') ?? findBadText(req.body, 'body');
  if (bad !== undefined) {
    throw invalidText(bad, 'text must not contain NUL characters or unpaired UTF-16 surrogates');
  }
}

/**
 * Validates text once, at the edge, for every route: JSON bodies must be UTF-8, and no parameter, query value
 * or body string may hold NUL or a lone surrogate (the database refuses the first and mangles the second). A
 * 400 `invalid_text` before any handler runs. Headers need no check: Node's HTTP parser refuses control
 * characters in them, and they are Latin-1, so they cannot hold surrogates. Pair with {@link parseQuery} as the
 * router's querystring parser. Call before any route is added.
 */
export function refuseMalformedText(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8Body(body as Buffer);
    } catch (err) {
      done(err as AppError, undefined);
      return;
    }
    void json(req, text, done);
  });
  app.addHook('preValidation', (req, _reply, done) => {
    try {
      checkRequest(req);
    } catch (err) {
      done(err as AppError);
      return;
    }
    done();
  });
}
