/**
 * SFTP backend over one SSH connection (npm `ssh2`), in restic's default layout.
 * Writes go to a temporary name in the target folder, are fsynced (`fsync@openssh.com`), made read-only
 * (0400, as restic does) and renamed into place (`posix-rename@openssh.com` when the server has it).
 * The server's host key must be vouched for by known_hosts text or a pinned fingerprint.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import {
  BackendNotFoundError,
  DIR_OF,
  defaultLayoutPath,
  existsByStat,
  type Backend,
  type ByteStream,
  type FileHandle,
  type FileInfo,
  type FileType,
} from './backend.js';
import { oneChunk, rechunk, requireSameAsStored, watchSource } from './stream.js';
import { checkHostKey, fingerprint } from './known-hosts.js';

/** Settings of an {@link SftpBackend}. Secrets are passed in; the backend reads no environment. */
export interface SftpBackendOptions {
  host: string;
  port?: number;
  username: string;
  /** Repository folder on the server; a relative path is relative to the login folder. */
  path: string;
  /** Private key (OpenSSH/PEM text or bytes). */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** Path of an ssh-agent socket (e.g. `SSH_AUTH_SOCK`). */
  agent?: string;
  password?: string;
  /** known_hosts text the server's key is checked against. */
  knownHosts?: string;
  /** Alternatively, the expected host key fingerprint (`SHA256:...`). */
  hostKeyFingerprint?: string;
  /** Connect and handshake timeout in ms (default 20 s). */
  readyTimeoutMs?: number;
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02). */
const NO_SUCH_FILE = 2;
const EOF = 1;
/** Bytes per SFTP read/write request issued in parallel, and how many are kept in flight. */
const CHUNK = 256 * 1024;
const WINDOW = 8;

type SftpError = Error & { code?: number | string; level?: string };

const p = <T>(fn: (cb: (err: Error | undefined | null, v: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

/** Runs `tasks` with at most `n` in flight. */
async function pool(tasks: (() => Promise<void>)[], n: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const t = tasks[next++];
      if (t) await t();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
}

/** Writes `chunks` from offset 0 on, {@link CHUNK} bytes per request, {@link WINDOW} requests in flight. */
async function writeAll(sftp: SFTPWrapper, handle: Buffer, chunks: AsyncIterable<Buffer>): Promise<void> {
  const inflight = new Set<Promise<void>>();
  let failed: { error: unknown } | undefined;
  let off = 0;
  try {
    for await (const c of rechunk(chunks, CHUNK)) {
      while (inflight.size >= WINDOW && !failed) await Promise.race(inflight);
      if (failed) throw failed.error;
      const at = off;
      const w: Promise<void> = p<void>((cb) =>
        sftp.write(handle, c, 0, c.length, at, (e) => cb(e, undefined)),
      ).then(
        () => void inflight.delete(w),
        (error: unknown) => {
          inflight.delete(w);
          failed ??= { error };
        },
      );
      inflight.add(w);
      off += c.length;
    }
  } finally {
    await Promise.all(inflight);
  }
  if (failed) throw failed.error;
}

/** A restic repository on an SFTP server. */
export class SftpBackend implements Backend {
  /** `sftp:` location (no secrets). */
  readonly location: string;
  private readonly root: string;
  private conn: Promise<{ client: Client; sftp: SFTPWrapper }> | undefined;
  private readonly madeDirs = new Set<string>();

  /** Stores the settings; the connection is opened by the first operation. */
  constructor(private readonly opts: SftpBackendOptions) {
    const port = opts.port ?? 22;
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    this.root = opts.path.replace(/\/+$/, '') || '/';
    this.location =
      port === 22
        ? `sftp:${opts.username}@${host}:${this.root}`
        : `sftp://${opts.username}@${host}:${port}/${this.root}`;
  }

  private connect(): Promise<{ client: Client; sftp: SFTPWrapper }> {
    if (this.conn) return this.conn;
    const { host, username } = this.opts;
    const port = this.opts.port ?? 22;
    let rejectedKey: string | undefined;
    const cfg: ConnectConfig = {
      host,
      port,
      username,
      privateKey: this.opts.privateKey,
      passphrase: this.opts.passphrase,
      agent: this.opts.agent,
      password: this.opts.password,
      readyTimeout: this.opts.readyTimeoutMs ?? 20_000,
      hostVerifier: (key: Buffer): boolean => {
        const fp = fingerprint(key);
        if (this.opts.hostKeyFingerprint !== undefined) {
          if (fp === this.opts.hostKeyFingerprint) return true;
          rejectedKey = `host key ${fp} does not match the expected ${this.opts.hostKeyFingerprint}`;
          return false;
        }
        const verdict = checkHostKey(this.opts.knownHosts ?? '', host, port, key);
        if (verdict === 'trusted') return true;
        rejectedKey =
          verdict === 'unknown'
            ? `host key ${fp} is not in known_hosts (add it, e.g. with ssh-keyscan, after checking it)`
            : `host key ${fp} is ${verdict === 'revoked' ? 'revoked' : 'NOT the one in known_hosts: possible man-in-the-middle'}`;
        return false;
      },
    };
    const attempt = new Promise<{ client: Client; sftp: SFTPWrapper }>((resolve, reject) => {
      const client = new Client();
      client.once('ready', () => {
        client.sftp((err, sftp) => {
          if (err) {
            client.end();
            reject(new Error(`${this.location}: the server refused the SFTP subsystem: ${err.message}`));
          } else resolve({ client, sftp });
        });
      });
      // Always listening: an error after the handshake (connection reset) must not crash the process;
      // it rejects the pending operations through ssh2 and the next operation reconnects.
      client.on('error', (err: SftpError) => {
        if (this.conn === attempt) this.conn = undefined;
        let why = typeof err.code === 'string' ? err.code : err.message;
        if (rejectedKey) why = rejectedKey;
        else if (err.level === 'client-authentication')
          why = `authentication failed for user ${username} (key, agent or password rejected)`;
        else if (err.level === 'client-timeout') why = 'timed out during the SSH handshake';
        reject(new Error(`${this.location}: cannot connect: ${why}`));
      });
      client.on('close', () => {
        // A dropped connection is reopened by the next operation.
        if (this.conn === attempt) this.conn = undefined;
      });
      try {
        client.connect(cfg);
      } catch (err) {
        // e.g. an unreadable private key or a missing passphrase
        reject(
          new Error(`${this.location}: cannot connect: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    });
    this.conn = attempt;
    attempt.catch(() => {
      if (this.conn === attempt) this.conn = undefined;
    });
    return attempt;
  }

  private async sftp(): Promise<SFTPWrapper> {
    return (await this.connect()).sftp;
  }

  private abs(rel: string): string {
    return posix.join(this.root, rel);
  }

  /** Server path of a stored file; rejects names that could leave the repository or hide as temp files. */
  private file(h: FileHandle): string {
    if (h.type !== 'config' && !/^[0-9a-zA-Z_-][0-9a-zA-Z._-]*$/.test(h.name)) {
      throw new Error(`${this.location}: invalid file name ${JSON.stringify(h.name)}`);
    }
    return this.abs(defaultLayoutPath(h));
  }

  private notFound(err: unknown): boolean {
    return (err as SftpError | undefined)?.code === NO_SUCH_FILE;
  }

  private wrap(err: unknown, what: string, h?: FileHandle): Error {
    if (h && this.notFound(err)) return new BackendNotFoundError(h);
    if (err instanceof BackendNotFoundError) return err;
    const msg = err instanceof Error ? err.message : String(err);
    return msg.startsWith(this.location)
      ? new Error(msg, { cause: err })
      : new Error(`${this.location}: ${what}: ${msg}`, { cause: err });
  }

  /** Creates `dir` and its missing parents. */
  private async mkdirp(sftp: SFTPWrapper, dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    try {
      const st = await p<{ isDirectory(): boolean }>((cb) => sftp.stat(dir, cb));
      if (!st.isDirectory()) throw new Error(`${dir} exists and is not a folder`);
    } catch (err) {
      if (!this.notFound(err)) throw err;
      const parent = posix.dirname(dir);
      if (parent !== dir) await this.mkdirp(sftp, parent);
      await p<void>((cb) => sftp.mkdir(dir, { mode: 0o700 }, (e) => cb(e, undefined))).catch(
        async (e: unknown) => {
          // Lost a race with another writer: fine if the folder is there now.
          const st = await p<{ isDirectory(): boolean }>((cb) => sftp.stat(dir, cb)).catch(() => undefined);
          if (!st?.isDirectory()) throw e;
        },
      );
    }
    this.madeDirs.add(dir);
  }

  /** Creates the repository folders (including `data/00` … `data/ff`). */
  async create(): Promise<void> {
    if (await this.exists({ type: 'config', name: '' }))
      throw new Error(`${this.location}: a repository already exists here`);
    try {
      const sftp = await this.sftp();
      for (const d of Object.values(DIR_OF)) await this.mkdirp(sftp, this.abs(d));
      const subs = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
      await pool(
        subs.map((s) => () => this.mkdirp(sftp, this.abs(`data/${s}`))),
        WINDOW,
      );
    } catch (err) {
      throw this.wrap(err, 'create repository');
    }
  }

  /** Writes to a temporary name, fsyncs, sets 0400 and renames into place. */
  async save(h: FileHandle, data: Uint8Array): Promise<void> {
    return this.saveStream(h, oneChunk(data), data.byteLength);
  }

  /** Streams to a temporary name ({@link WINDOW} writes in flight), fsyncs, sets 0400 and renames into place. */
  async saveStream(h: FileHandle, data: ByteStream, length: number): Promise<void> {
    const src = watchSource(data, length);
    const path = defaultLayoutPath(h);
    try {
      if (await this.exists(h)) return await requireSameAsStored(this, h, src, length, path);
    } catch (err) {
      const failed = src.failure();
      if (failed) throw failed.error;
      throw this.wrap(err, `save ${path}`);
    }
    const final = this.file(h);
    const dir = posix.dirname(final);
    const tmp = posix.join(dir, `.tmp-${posix.basename(final)}-${randomBytes(6).toString('hex')}`);
    try {
      const sftp = await this.sftp();
      await this.mkdirp(sftp, dir);
      const handle = await p<Buffer>((cb) => sftp.open(tmp, 'wx', { mode: 0o600 }, cb));
      try {
        await writeAll(sftp, handle, src.chunks);
        await p<void>((cb) => sftp.ext_openssh_fsync(handle, (e) => cb(e, undefined))).catch((e: unknown) => {
          if (!/not support/i.test(String((e as Error).message))) throw e;
        });
        await p<void>((cb) => sftp.fchmod(handle, 0o400, (e) => cb(e, undefined)));
      } finally {
        await p<void>((cb) => sftp.close(handle, (e) => cb(e, undefined))).catch(() => undefined);
      }
      await p<void>((cb) => sftp.ext_openssh_rename(tmp, final, (e) => cb(e, undefined))).catch(
        async (e: unknown) => {
          if (!/not support/i.test(String((e as Error).message))) throw e;
          await p<void>((cb) => sftp.rename(tmp, final, (e2) => cb(e2, undefined)));
        },
      );
    } catch (err) {
      const sftp = await this.connect().then(
        (c) => c.sftp,
        () => undefined,
      );
      if (sftp) await p<void>((cb) => sftp.unlink(tmp, (e) => cb(e, undefined))).catch(() => undefined);
      const failed = src.failure();
      if (failed) throw failed.error;
      throw this.wrap(err, `save ${path}`);
    }
  }

  /** Reads a file or a byte range of it, with several read requests in flight. */
  async load(h: FileHandle, offset = 0, length?: number): Promise<Buffer> {
    const path = this.file(h);
    try {
      const sftp = await this.sftp();
      const handle = await p<Buffer>((cb) => sftp.open(path, 'r', cb));
      try {
        const size = (await p<{ size: number }>((cb) => sftp.fstat(handle, cb))).size;
        const want = Math.max(0, Math.min(length ?? Infinity, size - offset));
        const buf = Buffer.alloc(want);
        const tasks: (() => Promise<void>)[] = [];
        for (let off = 0; off < want; off += CHUNK) {
          const len = Math.min(CHUNK, want - off);
          tasks.push(async () => {
            let done = 0;
            while (done < len) {
              const n = await p<number>((cb) =>
                sftp.read(handle, buf, off + done, len - done, offset + off + done, (e, nb) =>
                  cb(e && (e as SftpError).code === EOF ? undefined : e, e ? 0 : nb),
                ),
              );
              if (n === 0) throw new Error(`${path} shrank while being read`);
              done += n;
            }
          });
        }
        await pool(tasks, WINDOW);
        return buf;
      } finally {
        await p<void>((cb) => sftp.close(handle, (e) => cb(e, undefined))).catch(() => undefined);
      }
    } catch (err) {
      throw this.wrap(err, `load ${defaultLayoutPath(h)}`, h);
    }
  }

  /** Size of a stored file. */
  async stat(h: FileHandle): Promise<FileInfo> {
    try {
      const sftp = await this.sftp();
      const st = await p<{ size: number }>((cb) => sftp.stat(this.file(h), cb));
      return { name: h.name, size: st.size };
    } catch (err) {
      throw this.wrap(err, `stat ${defaultLayoutPath(h)}`, h);
    }
  }

  /** Deletes a stored file. */
  async remove(h: FileHandle): Promise<void> {
    try {
      const sftp = await this.sftp();
      await p<void>((cb) => sftp.unlink(this.file(h), (e) => cb(e, undefined)));
    } catch (err) {
      throw this.wrap(err, `remove ${defaultLayoutPath(h)}`, h);
    }
  }

  private async readdir(
    sftp: SFTPWrapper,
    dir: string,
  ): Promise<{ filename: string; attrs: { size: number; isDirectory(): boolean } }[]> {
    try {
      return await p((cb) => sftp.readdir(dir, cb));
    } catch (err) {
      if (this.notFound(err)) return [];
      throw err;
    }
  }

  /** Lists one kind of file; temporary files (dot names) are never listed. */
  async *list(type: Exclude<FileType, 'config'>): AsyncIterable<FileInfo> {
    let sftp: SFTPWrapper;
    const dir = this.abs(DIR_OF[type]);
    const dirs: string[] = [];
    try {
      sftp = await this.sftp();
      if (type === 'pack') {
        for (const e of await this.readdir(sftp, dir))
          if (e.attrs.isDirectory() && !e.filename.startsWith('.')) dirs.push(posix.join(dir, e.filename));
      } else dirs.push(dir);
    } catch (err) {
      throw this.wrap(err, `list ${DIR_OF[type]}`);
    }
    for (const d of dirs) {
      let entries;
      try {
        entries = await this.readdir(sftp, d);
      } catch (err) {
        throw this.wrap(err, `list ${DIR_OF[type]}`);
      }
      for (const e of entries) {
        if (!e.filename.startsWith('.') && !e.attrs.isDirectory())
          yield { name: e.filename, size: e.attrs.size };
      }
    }
  }

  /** True when the file exists. */
  async exists(h: FileHandle): Promise<boolean> {
    return existsByStat(this, h);
  }

  /** Ends the SSH connection. */
  async close(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    if (!c) return;
    const conn = await c.catch(() => undefined);
    if (!conn) return;
    await new Promise<void>((resolve) => {
      conn.client.once('close', () => resolve());
      conn.client.end();
    });
  }
}
