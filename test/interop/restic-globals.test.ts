/**
 * Global `steward repo` flags next to restic 0.14's: -q prints nothing where restic prints nothing, -v and
 * --verbose=N, --no-lock reads a repository another process holds exclusively (as restic does), -o checks the
 * options of the location's kind and `<backend>.connections` bounds the requests in flight, --cacert reaches an https REST server with a private CA, --cache-dir and
 * --no-cache keep (or not) a local cache of snapshot and index files that is checked on every read.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLock } from '../../src/backup/lock.js';
import { lockTarget } from '../../src/backup/repo-adapters.js';
import { Repository } from '../../src/backup/repository.js';
import { LocalBackend } from '../../src/backup/backend/local.js';
import { removeTempDirs, tempDir } from '../../src/backup/testkit.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import { cli, useCliPassword } from '../support/repo-cli.js';
import { startRclone } from './backend-servers.js';
import { restic, resticAvailable, resticRun } from './restic-helpers.js';

const PW = 'globals-pw';
const run = requireComponent('restic global flags', resticAvailable, 'restic binary not found');
const tlsTools = hasProgram('rclone', ['version']) && hasProgram('openssl', ['version']);

describe.runIf(run)('global flags', () => {
  let restoreEnv = (): void => undefined;
  let dir = '';
  let src = '';
  let repo = '';

  beforeAll(() => {
    dir = tempDir('steward-globals-');
    src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    repo = join(dir, 'repo');
    restic(repo, PW, ['init']);
    restic(repo, PW, ['backup', src]);
    restoreEnv = useCliPassword(PW);
  });
  afterAll(() => {
    restoreEnv();
    removeTempDirs();
  });

  it('-q prints nothing where restic -q prints nothing; -v and --verbose=N add detail', async () => {
    expect(restic(repo, PW, ['-q', 'backup', src])).toBe('');
    const quiet = await cli(['-r', repo, '-q', 'backup', src]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(restic(repo, PW, ['-q', 'restore', 'latest', '--target', join(dir, 'r1')])).toBe('');
    expect((await cli(['-r', repo, '-q', 'restore', 'latest', '--target', join(dir, 'r2')])).stdout).toBe('');
    const normal = await cli(['-r', repo, 'backup', src]);
    expect(normal.stdout).toContain('snapshot');
    expect(normal.stdout).not.toContain('open repository');
    const loud = await cli(['-r', repo, '-v', 'backup', src]);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stdout).toContain('open repository');
    expect((await cli(['-r', repo, '--verbose=2', 'backup', src])).stdout).toContain('start backup on');
    const tooLoud = await cli(['-r', repo, '--verbose=9', 'snapshots']);
    expect(tooLoud.code).toBe(1);
    expect(tooLoud.stderr).toContain('highest level is 3');
  });

  it('--no-lock reads a repository held exclusively, as restic --no-lock does', async () => {
    const r = await Repository.open(new LocalBackend(repo), PW);
    await withLock(lockTarget(r), true, async () => {
      expect(resticRun(repo, PW, ['restore', 'latest', '--target', join(dir, 'r3')]).status).not.toBe(0);
      const locked = await cli(['-r', repo, 'restore', 'latest', '--target', join(dir, 'r4')]);
      expect(locked.code).toBe(11);
      restic(repo, PW, ['--no-lock', 'restore', 'latest', '--target', join(dir, 'r5')]);
      const mine = await cli(['-r', repo, '--no-lock', 'restore', 'latest', '--target', join(dir, 'r6')]);
      expect(mine.code, mine.stderr).toBe(0);
      expect((await cli(['-r', repo, '--no-lock', 'check'])).code).toBe(0);
      expect((await cli(['-r', repo, '--no-lock', 'dump', 'latest', `${src}/a.txt`])).stdout).toBe('alpha\n');
    });
  });

  it('-o: options of the location kind are checked as restic checks them, others ignored', async () => {
    const unknown = await cli(['-r', repo, '-o', 'local.nope=1', 'snapshots']);
    expect(resticRun(repo, PW, ['-o', 'local.nope=1', 'snapshots']).stderr).toContain(
      'option local.nope is not known',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('option local.nope is not known');
    expect((await cli(['-r', repo, '-o', 'local.connections=x', 'snapshots'])).code).toBe(1);
    expect(resticRun(repo, PW, ['-o', 'local.connections=x', 'snapshots']).status).toBe(1);
    expect((await cli(['-r', repo, '-o', 's3.region=eu-west-1', 'snapshots'])).code).toBe(0);
    expect((await cli(['-r', repo, '-o', 'local.connections=4', 'snapshots'])).code).toBe(0);
    const zero = await cli(['-r', repo, '-o', 'local.connections=0', 'snapshots']);
    expect(resticRun(repo, PW, ['-o', 'local.connections=0', 'snapshots']).status).toBe(1);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('at least 1');
    expect((await cli(['-r', repo, '-o', 'noequals', 'snapshots'])).stderr).toContain('key=value');
    expect((await cli(['-r', repo, '-o', 'sftp.command=ssh x', 'snapshots'])).code).toBe(0);
    const cached = await cli(['-r', repo, '--cache-dir', join(dir, 'cache'), '--no-cache', 'snapshots']);
    expect(cached.code, cached.stderr).toBe(0);
  });

  it.runIf(hasProgram('rclone', ['version']))(
    '-o rest.connections=N bounds the requests in flight to a REST server, as restic does',
    async () => {
      const server = await startRclone();
      const proxy = await countingProxy(server.port);
      try {
        // restic (run synchronously) talks to the server directly; Steward through the in-process proxy.
        const direct = `rest:http://127.0.0.1:${server.port}/`;
        const url = `rest:http://127.0.0.1:${proxy.port}/`;
        const data = join(dir, 'many-packs');
        mkdirSync(data);
        for (let i = 0; i < 6; i++) writeFileSync(join(data, `f${i}.bin`), randomBytes(3 * 1024 * 1024));
        restic(direct, PW, ['init']);
        restic(direct, PW, ['backup', '--pack-size', '4', data]);
        const restoreWith = async (opts: string[], target: string): Promise<number> => {
          proxy.peak = 0;
          const r = await cli(['-r', url, ...opts, 'restore', 'latest', '--target', join(dir, target)]);
          expect(r.code, r.stderr).toBe(0);
          return proxy.peak;
        };
        // Unbounded, the packs are fetched side by side; with connections=1 one after another.
        expect(await restoreWith([], 'rest-free')).toBeGreaterThan(1);
        expect(await restoreWith(['-o', 'rest.connections=1'], 'rest-one')).toBe(1);
        expect(await restoreWith(['-o', 'rest.connections=2'], 'rest-two')).toBeLessThanOrEqual(2);
        proxy.peak = 0;
        const b = await cli(['-r', url, '-o', 'rest.connections=1', 'backup', src]);
        expect(b.code, b.stderr).toBe(0);
        expect(proxy.peak).toBe(1);
        restic(direct, PW, ['check', '--read-data']);
      } finally {
        await proxy.close();
        await server.stop();
      }
    },
  );

  it.runIf(hasProgram('rclone', ['version']))(
    'the local cache keeps snapshot and index files: a second command reads them locally, a damaged one is fetched again',
    async () => {
      const server = await startRclone();
      const proxy = await countingProxy(server.port);
      try {
        const direct = `rest:http://127.0.0.1:${server.port}/`;
        const url = `rest:http://127.0.0.1:${proxy.port}/`;
        restic(direct, PW, ['init']);
        restic(direct, PW, ['backup', src]);
        restic(direct, PW, ['backup', '--tag', 'second', src]);
        const cache = join(dir, 'the-cache');
        const fetched = async (args: string[]): Promise<string[]> => {
          proxy.requests.length = 0;
          const r = await cli(['-r', url, '--cache-dir', cache, ...args]);
          expect(r.code, r.stderr).toBe(0);
          return proxy.requests.filter((q) => /^GET \/(snapshots|index)\/[0-9a-f]{64}$/.test(q));
        };
        const first = await fetched(['ls', 'latest']);
        expect(first.filter((q) => q.includes('/snapshots/')).length).toBe(2);
        expect(first.some((q) => q.includes('/index/'))).toBe(true);
        // Again: nothing of either kind is downloaded.
        expect(await fetched(['ls', 'latest'])).toEqual([]);
        expect(await fetched(['snapshots'])).toEqual([]);
        // A damaged entry (not its hash) is dropped and fetched again; the command still succeeds.
        const root = join(cache, readdirSync(cache)[0]!);
        const [bad] = readdirSync(join(root, 'snapshots'));
        writeFileSync(join(root, 'snapshots', bad!), 'garbage');
        expect(await fetched(['snapshots'])).toEqual([`GET /snapshots/${bad}`]);
        expect(await fetched(['snapshots'])).toEqual([]);
        // --no-cache reads everything from the repository and writes no cache.
        const none = join(dir, 'no-cache');
        proxy.requests.length = 0;
        const r = await cli(['-r', url, '--cache-dir', none, '--no-cache', 'snapshots']);
        expect(r.code, r.stderr).toBe(0);
        expect(proxy.requests.filter((q) => /^GET \/snapshots\/[0-9a-f]{64}$/.test(q)).length).toBe(2);
        expect(existsSync(none)).toBe(false);
        // A snapshot forgotten by restic leaves the cache with the next full listing.
        const gone = JSON.parse(restic(direct, PW, ['snapshots', '--json', '--tag', 'second'])) as {
          id: string;
        }[];
        restic(direct, PW, ['forget', gone[0]!.id]);
        await fetched(['snapshots']);
        expect(readdirSync(join(root, 'snapshots'))).not.toContain(gone[0]!.id);
        // check reads the repository, never the cache: a snapshot damaged there is found although cached intact.
        const [kept] = readdirSync(join(root, 'snapshots'));
        chmodSync(join(server.dir, 'snapshots', kept!), 0o600);
        writeFileSync(join(server.dir, 'snapshots', kept!), 'damaged in the repository');
        const check = await cli(['-r', url, '--cache-dir', cache, 'check']);
        expect(check.code).not.toBe(0);
      } finally {
        await proxy.close();
        await server.stop();
      }
    },
  );

  it('--limit-upload and --limit-download pace the transfer (KiB/s)', async () => {
    const big = join(dir, 'paced');
    mkdirSync(big);
    writeFileSync(join(big, 'r.bin'), randomBytes(768 * 1024));
    let t = Date.now();
    const up = await cli(['-r', repo, '--limit-upload', '256', 'backup', big]);
    expect(up.code, up.stderr).toBe(0);
    expect(Date.now() - t).toBeGreaterThan(2500);
    t = Date.now();
    const target = join(dir, 'paced-restore');
    const down = await cli([
      '-r',
      repo,
      '--limit-download',
      '512',
      'restore',
      'latest',
      '--path',
      big,
      '--target',
      target,
    ]);
    expect(down.code, down.stderr).toBe(0);
    expect(Date.now() - t).toBeGreaterThan(1200);
    restic(repo, PW, ['check', '--read-data']);
    const bad = await cli(['-r', repo, '--limit-upload', 'fast', 'snapshots']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--limit-upload must be a whole number of KiB/s');
  });

  it.runIf(tlsTools)('--cacert reaches an https REST server signed by a private certificate', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const gen = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    expect(gen.status, gen.stderr.toString()).toBe(0);
    const server = await startRclone(undefined, undefined, { cert, key });
    try {
      const url = `rest:https://127.0.0.1:${server.port}/`;
      restic(url, PW, ['--cacert', cert, 'init']);
      restic(url, PW, ['--cacert', cert, 'backup', src]);
      const untrusted = await cli(['-r', url, 'snapshots']);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/certificate|CERT/i);
      const mine = await cli(['-r', url, '--cacert', cert, 'backup', src]);
      expect(mine.code, mine.stderr).toBe(0);
      const list = JSON.parse(
        (await cli(['-r', url, '--cacert', cert, '--json', 'snapshots'])).stdout,
      ) as unknown[];
      expect(list.length).toBe(2);
      restic(url, PW, ['--cacert', cert, 'check', '--read-data']);
      const missing = await cli(['-r', url, '--cacert', join(dir, 'nope.pem'), 'snapshots']);
      expect(missing.stderr).toContain('unable to read root certificate');
    } finally {
      await server.stop();
    }
  });
});

/** An HTTP proxy in front of a local server that logs the requests and counts the most in flight at once. */
async function countingProxy(
  target: number,
): Promise<{ port: number; peak: number; requests: string[]; close: () => Promise<void> }> {
  let now = 0;
  const state = {
    port: 0,
    peak: 0,
    requests: [] as string[],
    close: (): Promise<void> => Promise.resolve(),
  };
  const proxy = createServer((req, res) => {
    state.peak = Math.max(state.peak, ++now);
    state.requests.push(`${req.method} ${req.url}`);
    let done = false;
    const finish = (): void => {
      if (!done) now--;
      done = true;
    };
    res.on('close', finish);
    const up = request(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  state.port = (proxy.address() as AddressInfo).port;
  state.close = () =>
    new Promise<void>((r) => {
      proxy.closeAllConnections();
      proxy.close(() => r());
    });
  return state;
}
