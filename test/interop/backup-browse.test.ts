/**
 * Browsing and downloading a device's backups: the stock `restic` client backs up a known folder tree
 * (non-ASCII names, an empty folder, an empty file, a file of several blobs) through Steward's endpoint; the
 * browse API lists, searches and compares it correctly, a downloaded file is byte-identical, a folder's zip
 * passes `unzip -t` and Python's zipfile and holds the same bytes; a requester sees only their own devices;
 * bad paths and ids get 400/404; every browse and download is in the audit trail.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  let base: string;
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
    base = `http://127.0.0.1:${(app.server.app.server.address() as AddressInfo).port}`;
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
  it('searches by name across snapshots, a page at a time', async () => {
    const search = async (query: string, extra = '') =>
      (
        await app.as(rita).get(at(laptop.ciId, `/search?q=${encodeURIComponent(query)}${extra}`))
      ).json<BrowseSearchResult>();
    const budgets = await search('BUDGET');
    expect(budgets.matches.map((m) => [m.path, m.snapshotId, m.size])).toEqual([
      [`${src}/Documents/budget.ods`, snaps[0]!.id, budget.length],
      [`${src}/Documents/budget.ods`, snaps[1]!.id, budget.length],
    ]);
    expect(budgets).toMatchObject({ searched: 2, snapshots: 2, nextCursor: null });
    expect((await search('кот')).matches.map((m) => m.shortId)).toEqual([snaps[1]!.shortId]);
    const txt = await search('*.TXT');
    expect(txt.matches.map((m) => m.name)).toEqual([
      'Résumé – 2026.txt',
      'new.txt',
      'notes.txt',
      'zero.txt',
      'Résumé – 2026.txt',
      'notes.txt',
      'zero.txt',
    ]);
    // Page by page, the same matches in the same order.
    const paged: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await search('*.txt', `&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.matches.length).toBeLessThanOrEqual(2);
      paged.push(...page.matches.map((m) => `${m.shortId}:${m.path}`));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(txt.matches.map((m) => `${m.shortId}:${m.path}`));
    expect((await search('nothing-like-this')).matches).toEqual([]);
  });

  it('compares two snapshots: added, removed and changed, with sizes', async () => {
    const r = await app.as(rita).get(at(laptop.ciId, `/diff?from=${snaps[1]!.id}&to=${snaps[0]!.id}`));
    expect(r.statusCode).toBe(200);
    const d = r.json<BrowseDiff>();
    expect(d.changes).toEqual(
      [
        { kind: 'added', path: `${src}/new.txt`, type: 'file', sizeBefore: null, sizeAfter: 11, files: null },
        {
          kind: 'changed',
          path: `${src}/notes.txt`,
          type: 'file',
          sizeBefore: 18,
          sizeAfter: 32,
          files: null,
        },
        { kind: 'removed', path: `${src}/Фото`, type: 'dir', sizeBefore: 70_000, sizeAfter: null, files: 1 },
      ].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))),
    );
    expect(d.totals).toEqual({
      filesAdded: 1,
      filesRemoved: 1,
      filesChanged: 1,
      bytesAdded: 11 + 14,
      bytesRemoved: 70_000,
    });
    expect(d.truncated).toBe(false);
    const same = (
      await app.as(rita).get(at(laptop.ciId, `/diff?from=${snaps[0]!.id}&to=${snaps[0]!.id}`))
    ).json<BrowseDiff>();
    expect(same.changes).toEqual([]);
  });

  it('downloads a file byte for byte, with its name', async () => {
    const path = `${src}/Documents/budget.ods`;
    const r = await app.as(rita).get(at(laptop.ciId, `/snapshots/${snaps[0]!.id}/file?${q(path)}`));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-length']).toBe(String(budget.length));
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="budget.ods"; filename*=UTF-8''budget.ods`,
    );
    expect(sha(r.rawPayload)).toBe(sha(budget));
    const resume = await app
      .as(rita)
      .get(at(laptop.ciId, `/snapshots/${snaps[0]!.id}/file?${q(`${src}/Documents/Résumé – 2026.txt`)}`));
    expect(resume.body).toBe('Rita’s résumé\n');
    expect(resume.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ _ 2026.txt"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%202026.txt`,
    );
    const zero = await app
      .as(rita)
      .get(at(laptop.ciId, `/snapshots/${snaps[0]!.id}/file?${q(`${src}/zero.txt`)}`));
    expect(zero.statusCode).toBe(200);
    expect(zero.rawPayload.length).toBe(0);
  });

  it('downloads a folder as a zip that unzip and Python accept, holding the same bytes', async () => {
    const r = await app.as(agent).get(at(laptop.ciId, `/snapshots/${snaps[1]!.id}/zip?${q(src)}`));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="home.zip"; filename*=UTF-8''home.zip`,
    );
    const zip = join(dir, 'home.zip');
    writeFileSync(zip, r.rawPayload);
    const t = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
    expect(t.stdout).toMatch(/No errors detected/);
    expect(t.status).toBe(0);
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import zipfile, hashlib, json, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: [i.is_dir(), hashlib.sha256(z.read(i)).hexdigest(), i.file_size] for i in z.infolist()}))`,
        zip,
      ],
      { encoding: 'utf8' },
    );
    expect(py.stderr).toBe('');
    const listing = JSON.parse(py.stdout) as Record<string, [boolean, string, number]>;
    expect(Object.keys(listing).sort()).toEqual(
      [
        'home/',
        'home/Documents/',
        'home/Documents/Résumé – 2026.txt',
        'home/Documents/budget.ods',
        'home/empty/',
        'home/notes.txt',
        'home/zero.txt',
        'home/Фото/',
        'home/Фото/кот.jpg',
      ].sort(),
    );
    expect(listing['home/Documents/budget.ods']).toEqual([false, sha(budget), budget.length]);
    expect(listing['home/notes.txt']![1]).toBe(sha(Buffer.from('remember the milk\n')));
    expect(listing['home/empty/']![0]).toBe(true);
    // The whole snapshot, from its root: named after the device and the snapshot's time.
    const all = await app.as(agent).get(at(laptop.ciId, `/snapshots/${snaps[0]!.id}/zip`));
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-disposition']).toMatch(
      /^attachment; filename="rita-laptop \d{4}-\d\d-\d\d \d\d-\d\d\.zip"/,
    );
  });

  it('shows a requester only their own devices, and everyone else’s as not found', async () => {
    const mine = (await app.as(rita).get('/api/v1/backup/browse')).json<BrowsableDevices>();
    expect(mine.devices).toEqual([{ id: laptop.ciId, name: 'rita-laptop', hasRepository: true }]);
    const staff = (await app.as(agent).get('/api/v1/backup/browse')).json<BrowsableDevices>();
    expect(staff.devices.map((d) => d.name)).toEqual(['otto-desktop', 'rita-laptop']);
    const otherSnap = (await app.as(otto).get(at(desktop.ciId, '/snapshots'))).json<BrowseSnapshots>()
      .snapshots[0]!;
    for (const url of [
      at(desktop.ciId, '/snapshots'),
      at(desktop.ciId, `/snapshots/${otherSnap.id}/folder`),
      at(desktop.ciId, `/snapshots/${otherSnap.id}/file?${q(`${src}/notes.txt`)}`),
      at(desktop.ciId, `/snapshots/${otherSnap.id}/zip?${q(src)}`),
      at(desktop.ciId, '/search?q=notes'),
      at(desktop.ciId, `/diff?from=${otherSnap.id}&to=${otherSnap.id}`),
    ])
      expect((await app.as(rita).get(url)).statusCode, url).toBe(404);
    expect((await app.as(otto).get(at(laptop.ciId, '/snapshots'))).statusCode).toBe(404);
    expect((await app.anonymous.get(at(laptop.ciId, '/snapshots'))).statusCode).toBe(401);
    // Another device's snapshot through one's own device: not in this repository.
    expect((await app.as(rita).get(at(laptop.ciId, `/snapshots/${otherSnap.id}/folder`))).statusCode).toBe(
      404,
    );
  });

  it('answers bad ids and paths with 400, and what is not there with 404', async () => {
    const s = snaps[0]!.id;
    const cases: [string, number][] = [
      [`/api/v1/backup/browse/not-a-device/snapshots`, 400],
      [at('00000000-0000-4000-8000-000000000000', '/snapshots'), 404],
      [at(laptop.ciId, `/snapshots/${s.slice(0, 8)}/folder`), 400],
      [at(laptop.ciId, `/snapshots/${'z'.repeat(64)}/folder`), 400],
      [at(laptop.ciId, `/snapshots/${'0'.repeat(64)}/folder`), 404],
      [at(laptop.ciId, `/snapshots/${s}/folder?${q(`${src}/../etc`)}`), 400],
      [at(laptop.ciId, `/snapshots/${s}/folder?${q('relative/path')}`), 400],
      [at(laptop.ciId, `/snapshots/${s}/folder?path=%2Ftmp%00x`), 400],
      [at(laptop.ciId, `/snapshots/${s}/folder?${q(`${src}/nothing-here`)}`), 404],
      [at(laptop.ciId, `/snapshots/${s}/folder?${q(`${src}/notes.txt`)}`), 400],
      [at(laptop.ciId, `/snapshots/${s}/folder?${q(src)}&cursor=abc`), 400],
      [at(laptop.ciId, `/snapshots/${s}/file?${q(`${src}/Documents`)}`), 400],
      [at(laptop.ciId, `/snapshots/${s}/file?${q(`${src}/Фото/кот.jpg`)}`), 404],
      [at(laptop.ciId, `/snapshots/${s}/zip?${q(`${src}/notes.txt`)}`), 400],
      [at(laptop.ciId, `/snapshots/${s}/file?${q(`${src}/notes.txt`)}&extra=1`), 400],
      [at(laptop.ciId, '/search?q='), 400],
      [at(laptop.ciId, '/search?q=x&cursor=bm9wZQ'), 400],
      [at(laptop.ciId, `/diff?from=${s}&to=${'0'.repeat(64)}`), 404],
      [at(laptop.ciId, `/diff?from=${s}`), 400],
    ];
    for (const [url, status] of cases) {
      const r = await app.as(agent).get(url);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('records every browse and download in the audit trail, naming device, snapshot and path', async () => {
    const rows = await sql<{ action: string; actor_label: string; after: Record<string, unknown> }>`
      SELECT action, actor_label, after FROM audit_log WHERE entity_id = ${laptop.ciId}
        AND action IN ('backup.browsed', 'backup.downloaded') ORDER BY id`.execute(app.database.db);
    const views = rows.rows.filter((r) => r.action === 'backup.browsed').map((r) => r.after.view);
    expect(new Set(views)).toEqual(new Set(['snapshots', 'folder', 'search', 'diff']));
    const downloads = rows.rows.filter((r) => r.action === 'backup.downloaded').map((r) => r.after);
    expect(downloads).toContainEqual({
      device: 'rita-laptop',
      snapshot: snaps[0]!.shortId,
      snapshotTime: snaps[0]!.time,
      path: `${src}/Documents/budget.ods`,
      as: 'file',
      bytes: budget.length,
    });
    expect(downloads).toContainEqual(
      expect.objectContaining({ device: 'rita-laptop', snapshot: snaps[1]!.shortId, path: src, as: 'zip' }),
    );
    expect(rows.rows.some((r) => r.actor_label === rita.email && r.action === 'backup.downloaded')).toBe(
      true,
    );
  });
  it('sees a backup made while the repository is open, and answers parallel requests alike', async () => {
    writeFileSync(join(src, 'later.txt'), 'written after the first browse\n');
    await backUp(laptop, base, 'rita-laptop');
    const now = (await app.as(rita).get(at(laptop.ciId, '/snapshots'))).json<BrowseSnapshots>().snapshots;
    expect(now).toHaveLength(3);
    expect(now.slice(1).map((s) => s.id)).toEqual(snaps.map((s) => s.id));
    // Its data is in index files written after the repository was opened: read again, not missed.
    const later = await app
      .as(rita)
      .get(at(laptop.ciId, `/snapshots/${now[0]!.id}/file?${q(`${src}/later.txt`)}`));
    expect(later.statusCode).toBe(200);
    expect(later.body).toBe('written after the first browse\n');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.as(i % 2 ? rita : agent).get(at(laptop.ciId, `/snapshots/${now[i % 3]!.id}/folder?${q(src)}`)),
      ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(answers[0]!.json<BrowseFolder>().entries.map((e) => e.name)).toContain('later.txt');
  });
});
