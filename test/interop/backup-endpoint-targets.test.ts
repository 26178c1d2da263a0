/**
 * Steward's backup endpoint in front of real remote storage: an S3-compatible server (s3rver) and an SFTP
 * server (OpenSSH's internal-sftp). The stock restic client backs up and restores through Steward into each
 * device's repository on the target; `restic check --read-data`, reading the target directly, finds it sound;
 * an upload cut off mid-stream or damaged on the way leaves nothing on the target.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backup/backend/backend.js';
import { fingerprint } from '../../src/backup/backend/known-hosts.js';
import { S3Backend } from '../../src/backup/backend/s3.js';
import { SftpBackend } from '../../src/backup/backend/sftp.js';
import { setup, type TestApp } from '../support/api.js';
import { enrolDevice } from '../support/devices.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import { S3_KEYS, startS3, startSshd, type RunningServer, type SshServer } from './backend-servers.js';
import { type Endpoint, eventually, filesNamed, generatedPack, upload } from './endpoint-uploads.js';
import { resticAsync as restic } from './restic-helpers.js';

const haveRestic = requireComponent(
  'backup endpoint targets',
  hasProgram('restic', ['version']),
  'no restic',
);
const haveSshd =
  haveRestic &&
  requireComponent(
    'backup endpoint targets: SFTP',
    existsSync('/usr/sbin/sshd') && hasProgram('ssh', ['-V']),
    'openssh-server is not installed',
  );

/** A device whose repository lives on one target, and how to reach that repository directly. */
interface Case {
  device: Endpoint;
  password: string;
  /** restic's URL of the device's repository through Steward. */
  url: string;
  /** restic's -r, environment and options for the repository on the target itself. */
  direct: { repo: string; env: Record<string, string>; extra: string[] };
  /** Steward's engine on the repository on the target itself. */
  backend: () => Backend;
  /** Temporary files the target's writer may have left (none expected). */
  temps: () => string[];
}

describe.runIf(haveRestic)('the backup endpoint in front of S3 and SFTP targets', () => {
  let app: TestApp;
  let base: string;
  let dir: string;
  let s3: RunningServer;
  let sshd: SshServer | undefined;
  const cases = new Map<string, Case>();

  /** Registers a target, enrols a device with its repository there, and returns its agent access. */
  async function deviceOn(location: string, credentials: Record<string, string>, host: string) {
    const t = await app.as(app.admin).post('/api/v1/backup/targets', { name: host, location, credentials });
    expect(t.statusCode).toBe(201);
    const d = await enrolDevice(app, host);
    const put = await app
      .as(app.admin)
      .put(`/api/v1/backup/repositories/${d.ciId}`, { targetId: t.json<{ id: string }>().id });
    expect(put.statusCode).toBe(201);
    const a = (
      await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${d.token}` })
    ).json<{
      username: string;
      repositoryPassword: string;
    }>();
    const u = new URL(`${base}/api/v1/backup/devices/${d.ciId}/`);
    u.username = a.username;
    u.password = d.token;
    return {
      device: { base, ciId: d.ciId, token: d.token },
      password: a.repositoryPassword,
      url: `rest:${u.toString()}`,
    };
  }

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    await app.server.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'steward-endpoint-targets-'));
    s3 = await startS3(['company']);
    const endpoint = `http://127.0.0.1:${s3.port}`;
    const onS3 = await deviceOn(`s3:${endpoint}/company/laptops`, { ...S3_KEYS }, 'rita-laptop');
    const s3Prefix = `laptops/steward-${onS3.device.ciId}`;
    cases.set('S3', {
      ...onS3,
      direct: {
        repo: `s3:${endpoint}/company/${s3Prefix}`,
        env: { AWS_ACCESS_KEY_ID: S3_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey },
        extra: [],
      },
      backend: () => new S3Backend({ endpoint, bucket: 'company', prefix: s3Prefix, ...S3_KEYS }),
      temps: () => [], // an unfinished multipart upload is never an object
    });
    if (!haveSshd) return;
    const s = (sshd = await startSshd());
    const hostKey = readFileSync(join(s.dir, 'host_ed25519.pub'), 'utf8').split(' ')[1] ?? '';
    const root = join(s.dir, 'store');
    mkdirSync(root);
    const onSftp = await deviceOn(
      `sftp://${s.user}@127.0.0.1:${s.port}/${root}`,
      {
        privateKey: readFileSync(s.clientKeyPath, 'utf8'),
        hostKey: fingerprint(Buffer.from(hostKey, 'base64')),
      },
      'bob-desktop',
    );
    const path = join(root, `steward-${onSftp.device.ciId}`);
    const cmd = `ssh -i ${s.clientKeyPath} -p ${s.port} -o UserKnownHostsFile=${s.knownHostsPath} -o BatchMode=yes ${s.user}@127.0.0.1 -s sftp`;
    cases.set('SFTP', {
      ...onSftp,
      direct: { repo: `sftp:${s.user}@127.0.0.1:${path}`, env: {}, extra: ['-o', `sftp.command=${cmd}`] },
      backend: () =>
        new SftpBackend({
          host: '127.0.0.1',
          port: s.port,
          username: s.user,
          path,
          privateKey: readFileSync(s.clientKeyPath),
          knownHosts: readFileSync(s.knownHostsPath, 'utf8'),
        }),
      temps: () => filesNamed(path, '.tmp-'),
    });
  });
  afterAll(async () => {
    await app?.close();
    await s3?.stop();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['S3', 'SFTP'] as const) {
    describe.runIf(kind === 'S3' || haveSshd)(`on ${kind}`, () => {
      it('restic backs up and restores through Steward; restic check --read-data passes on the target', async () => {
        const c = cases.get(kind)!;
        const src = join(dir, `${kind}-home`);
        mkdirSync(join(src, 'Documents'), { recursive: true });
        // Larger than a pack: restic uploads several, some of them in parts (S3 multipart).
        writeFileSync(join(src, 'Documents', 'photos.tar'), randomBytes(40 * 1024 * 1024));
        writeFileSync(join(src, 'notes.txt'), 'remember the milk\n');
        const env = { RESTIC_REPOSITORY: c.url, RESTIC_PASSWORD: c.password };
        const backup = await restic(['backup', '--host', kind, src], env);
        expect(backup.stderr).toBe('');
        expect(backup.status).toBe(0);
        const out = join(dir, `${kind}-restored`);
        expect((await restic(['restore', 'latest', '--target', out], env)).status).toBe(0);
        const sum = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
        const photos = join('Documents', 'photos.tar');
        expect(sum(join(out, src, photos))).toBe(sum(join(src, photos)));
        const direct = await restic([...c.direct.extra, 'check', '--read-data'], {
          ...c.direct.env,
          RESTIC_REPOSITORY: c.direct.repo,
          RESTIC_PASSWORD: c.password,
        });
        expect(direct.stdout).toMatch(/no errors were found/);
        expect(direct.status).toBe(0);
      });

      it('leaves nothing of an upload cut off mid-stream or damaged on the way', async () => {
        const c = cases.get(kind)!;
        const b = c.backend();
        const size = 12 * 1024 * 1024;
        const pack = generatedPack(size);
        const nothingLeft = () =>
          eventually(
            async () => c.temps().length === 0 && !(await b.exists({ type: 'pack', name: pack.name })),
          );
        try {
          expect(await upload(c.device, pack.name, size, pack.pieces(), 7 * 1024 * 1024)).toBe(0);
          expect(await nothingLeft()).toBe(true);
          expect(await upload(c.device, pack.name, size, generatedPack(size).pieces())).toBe(400);
          expect(await nothingLeft()).toBe(true);
          expect(await upload(c.device, pack.name, size, pack.pieces())).toBe(200);
          expect((await b.stat({ type: 'pack', name: pack.name })).size).toBe(size);
        } finally {
          await b.close();
        }
      });
    });
  }
});
