import type { Command } from 'commander';
import type { Problem, Session } from '../contracts/index.js';
import { CliError } from './io.js';

/** Connection options shared by every command that talks to a running server. */
export interface ServerOptions {
  server: string;
  token?: string;
}

/** Adds `--server` and `--token` (defaults from STEWARD_URL and STEWARD_TOKEN). */
export function withServerOptions(cmd: Command): Command {
  return cmd
    .option(
      '--server <url>',
      'Steward server URL (env STEWARD_URL)',
      process.env.STEWARD_URL ?? 'http://localhost:8080',
    )
    .option('--token <token>', 'personal API token (env STEWARD_TOKEN)', process.env.STEWARD_TOKEN);
}

/** The server did not answer at all (nothing listens at the URL, DNS, TLS...). */
export class ServerUnreachable extends CliError {}

/** A small JSON client for Steward's API; API errors become CliErrors with the problem's message. */
export class ApiClient {
  private cookie: string | undefined;
  private csrf: string | undefined;

  constructor(
    private readonly base: string,
    private token?: string,
  ) {
    try {
      new URL(base);
    } catch {
      throw new CliError(`--server: not a URL: ${base}`, 2);
    }
  }

  /** Signs in with a password (for commands run before the user has a token). */
  async login(email: string, password: string): Promise<Session> {
    const res = await this.raw('POST', '/api/v1/auth/login', { email, password });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('steward_session='));
    const session = (await this.parse(res)) as Session;
    this.cookie = set?.split(';')[0];
    this.csrf = session.csrfToken;
    return session;
  }

  /** Sends a request and returns the parsed JSON (undefined for 204). */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return (await this.parse(await this.raw(method, path, body, headers))) as T;
  }

  /** Sends a request and returns the body with its ETag. */
  async requestWithEtag<T>(method: string, path: string): Promise<{ body: T; etag: string }> {
    const res = await this.raw(method, path);
    const etag = res.headers.get('etag') ?? '';
    return { body: (await this.parse(res)) as T, etag };
  }

  /** Downloads a file (an export); API errors become CliErrors like {@link request}'s. */
  async download(path: string): Promise<Buffer> {
    const res = await this.raw('GET', path, undefined, { accept: '*/*' });
    if (!res.ok) await this.parse(res);
    return Buffer.from(await res.arrayBuffer());
  }

  private async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { accept: 'application/json', ...headers };
    const bytes = body instanceof Uint8Array;
    if (body !== undefined && !bytes) h['content-type'] = 'application/json';
    if (this.token) h.authorization = `Bearer ${this.token}`;
    else if (this.cookie) {
      h.cookie = this.cookie;
      if (this.csrf) h['x-csrf-token'] = this.csrf;
    }
    try {
      return await fetch(new URL(path, this.base), {
        method,
        headers: h,
        body: body === undefined ? undefined : bytes ? body : JSON.stringify(body),
      });
    } catch (e) {
      const cause = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : '';
      throw new ServerUnreachable(
        `cannot reach Steward at ${this.base}${cause ? ` (${cause})` : ''}: is the server running there? ` +
          'Pass its URL with --server or STEWARD_URL',
      );
    }
  }

  /** What to do about a 401: the token was refused, or none was given. */
  private unauthenticatedHint(): string {
    if (this.token)
      return ' (create a new token with `steward token create`, then pass it with --token or STEWARD_TOKEN)';
    if (this.cookie) return '';
    return ' (pass --token or set STEWARD_TOKEN)';
  }

  private async parse(res: Response): Promise<unknown> {
    if (res.status === 204) return undefined;
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CliError(
        `unexpected answer from ${this.base} (HTTP ${res.status}, not JSON): is this the address of Steward?`,
      );
    }
    if (!res.ok) {
      const p = data as Partial<Problem>;
      const fields = (p.errors ?? []).map((e) => `\n  ${e.path}: ${e.message}`).join('');
      const hint = p.code === 'unauthenticated' ? this.unauthenticatedHint() : '';
      throw new CliError(`${p.detail ?? p.title ?? `HTTP ${res.status}`}${fields}${hint}`, 1);
    }
    return data;
  }
}

/** A client from a command's options. */
export function clientFrom(opts: ServerOptions): ApiClient {
  return new ApiClient(opts.server, opts.token);
}
