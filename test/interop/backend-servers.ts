/**
 * Real storage servers for the backend interop tests, each started on a free loopback port with its own
 * temporary folder and stopped by the returned `stop()`: rclone's restic REST server, OpenSSH's sshd with
 * internal-sftp, and s3rver (an S3-compatible server from npm, run in-process).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { freePort } from '../support/server.js';

export { freePort };

/** A started server: where it listens and how to stop it. */
export interface RunningServer {
  port: number;
  dir: string;
  /** Stops the server and removes its folder (kept with `keepDir`, e.g. to start the server again on it). */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `steward-${prefix}-`));
}

/** Resolves once something accepts TCP connections on the port; rejects if the child exits first. */
async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not listen on port ${port}: ${stderr()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startChild(cmd: string, args: string[], port: number, dir: string): Promise<RunningServer> {
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RCLONE_CONFIG: '/nonexistent' },
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  try {
    await waitForPort(port, child, () => err);
  } catch (e) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    dir,
    async stop(opts) {
      await stopChild(child);
      if (!opts?.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `rclone serve restic` on a temporary folder (or `dir`), optionally with HTTP basic auth and TLS (PEM files). */
export async function startRclone(
  auth?: { user: string; pass: string },
  dir = tempDir('rclone'),
  tls?: { cert: string; key: string },
): Promise<RunningServer> {
  const port = await freePort();
  const args = ['serve', 'restic', '--addr', `127.0.0.1:${port}`, dir];
  if (auth) args.push('--user', auth.user, '--pass', auth.pass);
  if (tls) args.push('--cert', tls.cert, '--key', tls.key);
  return startChild('rclone', args, port, dir);
}

/** A running sshd plus what a client needs to reach it. */
export interface SshServer extends RunningServer {
  /** Private key (OpenSSH format) accepted for the current user. */
  clientKeyPath: string;
  /** A known_hosts line-file naming the server's host key for `[127.0.0.1]:port`. */
  knownHostsPath: string;
  user: string;
}

/** OpenSSH's sshd as a non-daemon with its own config, host key and authorized_keys, serving internal-sftp. */
export async function startSshd(): Promise<SshServer> {
  const port = await freePort();
  const dir = tempDir('sshd');
  const keygen = (file: string): void => {
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`ssh-keygen failed for ${file}`);
  };
  keygen(join(dir, 'host_ed25519'));
  keygen(join(dir, 'client_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_ed25519.pub')), { mode: 0o600 });
  const hostPub = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(' ');
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${join(dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile none`,
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'LogLevel ERROR',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  // sshd refuses to start without its privilege separation directory.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const srv = await startChild('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], port, dir);
  const user = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  return {
    ...srv,
    clientKeyPath: join(dir, 'client_ed25519'),
    knownHostsPath: join(dir, 'known_hosts'),
    user,
  };
}

/**
 * Decodes an `aws-chunked` body (`hex-size;chunk-signature=...\r\n<data>\r\n`... `0;...\r\n\r\n`).
 * s3rver does not understand the streaming-signature uploads that restic's S3 client (minio-go) sends over
 * plain HTTP and would store the framing as object data; chunk signatures are not verified here.
 */
class AwsChunkedDecoder extends Transform {
  private buf = Buffer.alloc(0);
  private remaining = -1; // bytes of chunk data still to pass (+2 for the trailing CRLF), -1 = expecting a header
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.remaining < 0) {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) break;
        const size = parseInt(this.buf.subarray(0, eol).toString('latin1').split(';')[0] ?? '', 16);
        this.buf = this.buf.subarray(eol + 2);
        this.remaining = size + 2;
        if (size === 0) this.remaining = -2; // final chunk: ignore the rest
      } else if (this.remaining === -2) {
        this.buf = Buffer.alloc(0);
        break;
      } else {
        if (this.buf.length === 0) break;
        const take = Math.min(this.remaining, this.buf.length);
        const dataPart = Math.max(0, Math.min(take, this.remaining - 2));
        if (dataPart > 0) this.push(this.buf.subarray(0, dataPart));
        this.buf = this.buf.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.remaining = -1;
      }
    }
    cb();
  }
}

interface KoaCtx {
  headers: Record<string, string | undefined>;
  req: { pipe: (d: NodeJS.WritableStream) => NodeJS.WritableStream };
}

/** Fixed credentials of the s3rver instance. */
export const S3_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** s3rver (npm) in this process on a free loopback port, with the given buckets. */
export async function startS3(buckets: string[]): Promise<RunningServer> {
  // s3rver ships no types; this is the part of its (Koa) surface used here.
  const S3rver = createRequire(import.meta.url)('s3rver') as new (o: Record<string, unknown>) => {
    middleware: ((ctx: KoaCtx, next: () => Promise<void>) => Promise<void>)[];
    run(): Promise<unknown>;
    close(): Promise<void>;
  };
  const port = await freePort();
  const dir = tempDir('s3');
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    directory: dir,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  server.middleware.unshift(async (ctx, next) => {
    if (ctx.headers['x-amz-content-sha256']?.startsWith('STREAMING-')) {
      const req = ctx.req;
      const pipe = req.pipe.bind(req);
      req.pipe = (dest: NodeJS.WritableStream) => {
        const decoder = new AwsChunkedDecoder();
        pipe(decoder);
        return decoder.pipe(dest);
      };
    }
    await next();
  });
  await server.run();
  return {
    port,
    dir,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
