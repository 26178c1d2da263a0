/**
 * End to end over every remote backend: Steward backs a tree up (src/backup/archiver.ts) to a REST (rclone),
 * SFTP (OpenSSH) and S3 (s3rver) repository, real restic runs `check --read-data` and `restore` on it,
 * restic adds a snapshot of its own, and Steward restores that one (src/backup/restore.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/archiver.js';
import type { Backend } from '../../src/backup/backend/backend.js';
import { RestBackend } from '../../src/backup/backend/rest.js';
import { S3Backend } from '../../src/backup/backend/s3.js';
import { SftpBackend } from '../../src/backup/backend/sftp.js';
import { initRepository } from '../../src/backup/init.js';
import { Repository } from '../../src/backup/repository.js';
import { restoreSnapshot } from '../../src/backup/restore.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import {
  S3_KEYS,
  startRclone,
  startS3,
  startSshd,
  tempDir,
  type RunningServer,
  type SshServer,
} from './backend-servers.js';
import { makeTree, restic } from './restic-roundtrip.js';

const PASSWORD = 'interop-pw'; // what restic() passes to restic as RESTIC_PASSWORD
const hasRestic = hasProgram('restic', ['version']);
const hasRclone = hasProgram('rclone', ['version']);
const hasSshd = existsSync('/usr/sbin/sshd') && hasProgram('ssh', ['-V']);
const resticOk = requireComponent(
  'backends e2e',
  hasRestic,
  'restic is not installed (apt-get install restic)',
);
const restOk = resticOk && requireComponent('backends e2e: REST', hasRclone, 'rclone is not installed');
const sftpOk = resticOk && requireComponent('backends e2e: SFTP', hasSshd, 'openssh-server is not installed');

interface Target {
  backend: () => Backend;
  /** restic's -r value for the same repository */
  repo: string;
  env: Record<string, string>;
  extra: string[];
}

/** Steward backup -> restic check + restore -> restic backup -> Steward restore. */
async function roundTrip(t: Target): Promise<void> {
  const work = tempDir('e2e');
  try {
    const src = join(work, 'src');
    mkdirSync(src);
    const files = makeTree(src);

    const b1 = t.backend();
    try {
      const repo = await initRepository(b1, PASSWORD, { kdf: { N: 1024, r: 8, p: 1 } });
      const res = await backup(repo, { targets: [src], hostname: 'steward-e2e', workers: false });
      expect(res.snapshotId).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await b1.close();
    }

    expect(await restic(t.repo, ['check', '--read-data'], t.env, t.extra)).toContain('no errors were found');
    const byRestic = join(work, 'restored-by-restic');
    await restic(t.repo, ['restore', 'latest', '--target', byRestic], t.env, t.extra);
    for (const [rel, data] of files) expect(readFileSync(join(byRestic, src, rel)).equals(data)).toBe(true);

    writeFileSync(join(src, 'added-by-restic.txt'), 'second snapshot\n');
    await restic(t.repo, ['backup', '--host', 'restic-e2e', src], t.env, t.extra);

    const b2 = t.backend();
    try {
      const repo = await Repository.open(b2, PASSWORD);
      const snaps = await repo.listSnapshots({ hosts: ['restic-e2e'] });
      expect(snaps).toHaveLength(1);
      const bySteward = join(work, 'restored-by-steward');
      const r = await restoreSnapshot(repo, snaps[0]?.tree ?? '', { target: bySteward, verify: true });
      expect(r.errors).toEqual([]);
      expect(r.verifyErrors).toEqual([]);
      for (const [rel, data] of files)
        expect(readFileSync(join(bySteward, src, rel)).equals(data)).toBe(true);
      expect(readFileSync(join(bySteward, src, 'added-by-restic.txt'), 'utf8')).toBe('second snapshot\n');
    } finally {
      await b2.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

let seq = 0;

describe.skipIf(!restOk)('Steward <-> restic over REST (rclone)', () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startRclone();
  });
  afterAll(async () => {
    await server?.stop();
  });
  it('round-trips a backup', async () => {
    const url = `http://127.0.0.1:${server?.port}/e2e${seq++}/`;
    await roundTrip({ backend: () => new RestBackend({ url }), repo: `rest:${url}`, env: {}, extra: [] });
  });
});

describe.skipIf(!sftpOk)('Steward <-> restic over SFTP (OpenSSH)', () => {
  let server: SshServer | undefined;
  beforeAll(async () => {
    server = await startSshd();
  });
  afterAll(async () => {
    await server?.stop();
  });
  it('round-trips a backup', async () => {
    if (!server) throw new Error('sshd not started');
    const s = server;
    const path = join(s.dir, `e2e${seq++}`);
    const cmd = `ssh -i ${s.clientKeyPath} -p ${s.port} -o UserKnownHostsFile=${s.knownHostsPath} -o BatchMode=yes ${s.user}@127.0.0.1 -s sftp`;
    await roundTrip({
      backend: () =>
        new SftpBackend({
          host: '127.0.0.1',
          port: s.port,
          username: s.user,
          path,
          privateKey: readFileSync(s.clientKeyPath),
          knownHosts: readFileSync(s.knownHostsPath, 'utf8'),
        }),
      repo: `sftp:${s.user}@127.0.0.1:${path}`,
      env: {},
      extra: ['-o', `sftp.command=${cmd}`],
    });
  });
});

describe.skipIf(!resticOk)('Steward <-> restic over S3 (s3rver)', () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startS3(['e2e']);
  });
  afterAll(async () => {
    await server?.stop();
  });
  it('round-trips a backup', async () => {
    const endpoint = `http://127.0.0.1:${server?.port}`;
    const prefix = `repo${seq++}`;
    await roundTrip({
      backend: () => new S3Backend({ endpoint, bucket: 'e2e', prefix, ...S3_KEYS }),
      repo: `s3:${endpoint}/e2e/${prefix}`,
      env: { AWS_ACCESS_KEY_ID: S3_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey },
      extra: [],
    });
  });
});
