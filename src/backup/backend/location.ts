/**
 * restic location strings -> backends. This is the one place in src/backup that looks at environment
 * variables, and it takes them as a parameter (the caller passes `process.env` or its own map).
 *
 * | location | backend |
 * |---|---|
 * | `/srv/repo`, `./repo`, `local:/srv/repo` | local folder |
 * | `sftp:user@host:/srv/repo`, `sftp:host:relative`, `sftp://user@host:2222//srv/repo` | SFTP |
 * | `rest:http://user:pass@host:8000/repo/` | REST (restic rest-server, `rclone serve restic`) |
 * | `s3:http://host:9000/bucket/prefix`, `s3:s3.amazonaws.com/bucket/prefix` (https) | S3-compatible |
 *
 * Environment: SFTP `STEWARD_SFTP_KEY` (the key itself, as the server passes a storage target's) or
 * `STEWARD_SFTP_IDENTITY` (key file; default ~/.ssh/id_ed25519, id_ecdsa, id_rsa),
 * `STEWARD_SFTP_KEY_PASSPHRASE`, `SSH_AUTH_SOCK`, `STEWARD_SFTP_PASSWORD`, `STEWARD_SFTP_KNOWN_HOSTS`
 * (default ~/.ssh/known_hosts), `STEWARD_SFTP_HOST_KEY` (`SHA256:...` pin); REST `RESTIC_REST_USERNAME`,
 * `RESTIC_REST_PASSWORD`; S3 `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
 * `AWS_DEFAULT_REGION`/`AWS_REGION`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from './backend.js';
import { connectionLimitedBackend } from './connections.js';
import { LocalBackend } from './local.js';

/** Environment variables, as `process.env` has them. */
export type Env = Record<string, string | undefined>;

/** A parsed location, before any secret is attached. */
export type ParsedLocation =
  | { kind: 'local'; path: string }
  | { kind: 'sftp'; user: string | undefined; host: string; port: number | undefined; path: string }
  | { kind: 'rest'; url: string }
  | { kind: 's3'; endpoint: string; bucket: string; prefix: string };

/** Raised for a location string that cannot be understood. */
export class LocationError extends Error {
  override readonly name = 'LocationError';
}

function parseSftp(rest: string): ParsedLocation {
  if (rest.startsWith('//')) {
    // URL form: the path after host[:port]/ is relative unless it starts with another '/'.
    let u: URL;
    try {
      u = new URL(`sftp:${rest}`);
    } catch {
      throw new LocationError('sftp: cannot parse the URL form sftp://user@host:port/path');
    }
    const path = decodeURIComponent(u.pathname.slice(1));
    if (!u.hostname || !path)
      throw new LocationError('sftp: URL form needs a host and a path: sftp://user@host:port//abs/path');
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return {
      kind: 'sftp',
      user: u.username ? decodeURIComponent(u.username) : undefined,
      host,
      port: u.port ? Number(u.port) : undefined,
      path,
    };
  }
  // scp-like form: [user@]host:path, host may be [ipv6]; the path may hold ':' and '@'.
  const m = /^(?:([^@/:[\]]+)@)?(\[[^\]]+\]|[^:/[\]@]+):(.+)$/s.exec(rest);
  if (!m) throw new LocationError('sftp: expected sftp:user@host:/path');
  const [, user, rawHost = '', path = ''] = m;
  const host = rawHost.replace(/^\[|\]$/g, '');
  return { kind: 'sftp', user, host, port: undefined, path };
}

function parseS3(rest: string): ParsedLocation {
  const withScheme = /^https?:\/\//.test(rest) ? rest : `https://${rest}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new LocationError('s3: expected s3:http://host:port/bucket/prefix or s3:host/bucket/prefix');
  }
  if (u.username || u.password)
    throw new LocationError(
      's3: put credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, not in the location',
    );
  const parts = u.pathname.split('/').filter((s) => s !== '');
  const bucket = parts.shift();
  if (!bucket) throw new LocationError('s3: the location names no bucket (s3:host/bucket/prefix)');
  return {
    kind: 's3',
    endpoint: `${u.protocol}//${u.host}`,
    bucket: decodeURIComponent(bucket),
    prefix: parts.map(decodeURIComponent).join('/'),
  };
}

/** Splits a restic location string into its parts; throws {@link LocationError} when it is malformed. */
export function parseLocation(location: string): ParsedLocation {
  const m = /^(local|sftp|rest|s3|b2|azure|gs|swift|rclone):(.*)$/s.exec(location);
  if (!m) {
    if (location === '') throw new LocationError('empty repository location');
    return { kind: 'local', path: location };
  }
  const [, scheme = '', rest = ''] = m;
  switch (scheme) {
    case 'local':
      if (!rest) throw new LocationError('local: expected local:/path');
      return { kind: 'local', path: rest };
    case 'sftp':
      return parseSftp(rest);
    case 'rest': {
      if (!/^https?:\/\//.test(rest)) throw new LocationError('rest: expected rest:http://host:port/path/');
      try {
        new URL(rest);
      } catch {
        throw new LocationError('rest: cannot parse the URL');
      }
      return { kind: 'rest', url: rest };
    }
    case 's3':
      return parseS3(rest);
    default:
      throw new LocationError(
        `${scheme}: this kind of repository location is not supported (local, sftp, rest, s3 are)`,
      );
  }
}

function readOptional(path: string | undefined): string | undefined {
  return path !== undefined && existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * The private key to offer, if it can be used: an explicitly named key that cannot be parsed (or decrypted)
 * is an error; a default ~/.ssh key that cannot (e.g. encrypted, no passphrase) is skipped, leaving the agent.
 */
async function usableKey(
  key: string | undefined,
  passphrase: string | undefined,
  explicit: string | undefined,
): Promise<string | undefined> {
  if (key === undefined) return undefined;
  const { default: ssh2 } = await import('ssh2');
  const parsed = ssh2.utils.parseKey(key, passphrase);
  if (!(parsed instanceof Error)) return key;
  if (explicit !== undefined)
    throw new LocationError(`sftp: cannot use identity file ${explicit}: ${parsed.message}`);
  return undefined;
}

/** What the command line adds to a location (restic's `--cacert`, `-o`). */
export interface BackendExtras {
  /** PEM root certificates to trust for https (REST, S3) instead of the system's. */
  ca?: string[];
  /** `-o s3.region=…`. */
  s3Region?: string;
  /** `-o <backend>.connections=N`: at most N operations in flight at once (default: no limit). */
  connections?: number;
}

/**
 * Opens the backend for a restic location string. Secrets come from `env` (see the module comment);
 * nothing is contacted until the backend's first operation. The remote backends' modules (the AWS SDK, ssh2)
 * are loaded only when such a location is opened: most runs use a local folder, and loading them costs
 * every command start-up time and memory.
 */
export async function openBackend(location: string, env: Env, extras: BackendExtras = {}): Promise<Backend> {
  const backend = await openUnlimited(location, env, extras);
  return extras.connections === undefined ? backend : connectionLimitedBackend(backend, extras.connections);
}

async function openUnlimited(location: string, env: Env, extras: BackendExtras): Promise<Backend> {
  const loc = parseLocation(location);
  switch (loc.kind) {
    case 'local':
      return new LocalBackend(loc.path);
    case 'rest': {
      const { RestBackend } = await import('./rest.js');
      return new RestBackend({
        url: loc.url,
        username: env.RESTIC_REST_USERNAME,
        password: env.RESTIC_REST_PASSWORD,
        fetch: extras.ca ? (await import('./tls-fetch.js')).fetchTrusting(extras.ca) : undefined,
      });
    }
    case 's3': {
      const accessKeyId = env.AWS_ACCESS_KEY_ID;
      const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
      if (!accessKeyId || !secretAccessKey)
        throw new LocationError('s3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
      const { S3Backend } = await import('./s3.js');
      return new S3Backend({
        ...loc,
        accessKeyId,
        secretAccessKey,
        sessionToken: env.AWS_SESSION_TOKEN,
        region: extras.s3Region ?? env.AWS_DEFAULT_REGION ?? env.AWS_REGION,
        ca: extras.ca,
      });
    }
    case 'sftp': {
      const home = env.HOME;
      const ssh = home ? join(home, '.ssh') : undefined;
      const identity =
        env.STEWARD_SFTP_IDENTITY ??
        (ssh
          ? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(ssh, f)).find((f) => existsSync(f))
          : undefined);
      if (env.STEWARD_SFTP_IDENTITY && !existsSync(env.STEWARD_SFTP_IDENTITY)) {
        throw new LocationError(`sftp: identity file ${env.STEWARD_SFTP_IDENTITY} does not exist`);
      }
      const user = loc.user ?? env.USER ?? env.LOGNAME;
      if (!user) throw new LocationError('sftp: no user name in the location and USER is not set');
      const { SftpBackend } = await import('./sftp.js');
      return new SftpBackend({
        host: loc.host,
        port: loc.port,
        username: user,
        path: loc.path,
        privateKey: await usableKey(
          env.STEWARD_SFTP_KEY ?? readOptional(identity),
          env.STEWARD_SFTP_KEY_PASSPHRASE,
          env.STEWARD_SFTP_KEY !== undefined ? 'STEWARD_SFTP_KEY' : env.STEWARD_SFTP_IDENTITY,
        ),
        passphrase: env.STEWARD_SFTP_KEY_PASSPHRASE,
        agent: env.SSH_AUTH_SOCK,
        password: env.STEWARD_SFTP_PASSWORD,
        knownHosts: readOptional(
          env.STEWARD_SFTP_KNOWN_HOSTS ?? (ssh ? join(ssh, 'known_hosts') : undefined),
        ),
        hostKeyFingerprint: env.STEWARD_SFTP_HOST_KEY,
      });
    }
  }
}
