// Browsing backups in a real browser against a real server: the stock restic client backs up a device
// through Steward's endpoint; its owner, a requester, signs in, opens the device's backups, walks down the
// folders by their breadcrumbs, finds a file by name across snapshots and downloads it, byte for byte.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportOf } from '../support/devices.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent(
  'e2e backup browse',
  existsSync(CHROMIUM) && hasProgram('restic', ['version']),
  'Debian chromium or restic is not installed',
);

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('browsing backups', () => {
  let server: Server;
  let dir: string;
  let src: string;
  let shots: string;
  const rita = { email: 'rita@example.com', name: 'Rita Requester' };
  const photo = randomBytes(300_000);

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
    dir = mkdtempSync(join(tmpdir(), 'steward-e2e-browse-'));
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const user = (await admin('POST', '/api/v1/users', {
      ...rita,
      role: 'requester',
      password: PASSWORD,
    })) as {
      id: string;
    };
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const r = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      expect(r.ok).toBe(true);
      return (await r.json()) as Record<string, string>;
    };
    const { token: enrolment } = (await admin('POST', '/api/v1/agents/enrolment-tokens', {
      uses: 1,
      note: 'e2e',
    })) as {
      token: string;
    };
    const uuid = randomUUID();
    const { token } = await post('/api/v1/agents/enrol', {
      enrolmentToken: enrolment,
      hostname: 'rita-laptop',
      systemUuid: uuid,
    });
    const { ciId } = await post('/api/v1/agents/report', reportOf('rita-laptop', uuid), {
      authorization: `Bearer ${token!}`,
    });
    const ci = (await admin('GET', `/api/v1/cis/${ciId!}`)) as { version: number };
    await admin('PATCH', `/api/v1/cis/${ciId!}`, { ownerId: user.id }, { 'if-match': `"v${ci.version}"` });
    const target = (await admin('POST', '/api/v1/backup/targets', {
      name: 'Server disk',
      location: join(dir, 'store'),
    })) as { id: string };
    await admin('PUT', `/api/v1/backup/repositories/${ciId!}`, { targetId: target.id });
    const access = (await (
      await fetch(`${server.url}/api/v1/agents/backup`, { headers: { authorization: `Bearer ${token!}` } })
    ).json()) as { username: string; repositoryPassword: string };
    src = join(dir, 'home');
    mkdirSync(join(src, 'Documents', 'Фото'), { recursive: true });
    writeFileSync(join(src, 'Documents', 'Фото', 'кот.jpg'), photo);
    writeFileSync(join(src, 'Documents', 'plan.txt'), 'the plan\n');
    const u = new URL(`${server.url}/api/v1/backup/devices/${ciId!}/`);
    u.username = access.username;
    u.password = token!;
    const r = spawnSync('restic', ['--no-cache', 'backup', '--host', 'rita-laptop', src], {
      env: {
        ...process.env,
        RESTIC_REPOSITORY: `rest:${u.toString()}`,
        RESTIC_PASSWORD: access.repositoryPassword,
      },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a requester browses their laptop’s snapshot, finds a file and downloads it', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, rita.email, PASSWORD);
      await page.goto(`${server.url}/backups/browse`);
      await page.getByRole('heading', { name: 'Browse backups' }).waitFor();
      await page.getByRole('link', { name: 'rita-laptop' }).click();
      await page.getByRole('heading', { name: 'Backups of rita-laptop' }).waitFor();
      const snapshots = page.getByRole('table', { name: 'Snapshots' });
      await expect.poll(() => snapshots.getByRole('row').count()).toBe(2);
      await page.screenshot({ path: join(shots, 'backup-browse-1-snapshots.png'), fullPage: true });

      // Down the folders from the snapshot's root to the photo.
      await snapshots.getByRole('row').nth(1).getByRole('link').click();
      const folder = page.getByRole('table', { name: 'Folder contents' });
      for (const part of [...src.split('/').filter(Boolean), 'Documents', 'Фото'])
        await folder.getByRole('link', { name: part, exact: true }).click();
      const crumbs = page.getByRole('navigation', { name: 'Folder path' });
      await crumbs.getByText('Фото', { exact: true }).waitFor();
      const row = folder.getByRole('row', { name: /кот\.jpg/ });
      await row.getByText('293 KB').waitFor();
      await page.screenshot({ path: join(shots, 'backup-browse-2-folder.png'), fullPage: true });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('link', { name: /Download/ }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('кот.jpg');
      expect(readFileSync(await download.path()).equals(photo)).toBe(true);

      // Back up one level by the breadcrumbs, then a search across snapshots.
      await crumbs.getByRole('link', { name: 'Documents' }).click();
      await folder.getByRole('row', { name: /plan\.txt/ }).waitFor();
      await page.getByRole('link', { name: /Backups of rita-laptop/ }).click();
      await page.getByLabel('Name').fill('PLAN');
      await page.getByRole('button', { name: 'Search all snapshots' }).click();
      const results = page.getByRole('list', { name: 'Search results' });
      await results.getByText(`${src}/Documents/plan.txt`).waitFor();
      await page.screenshot({ path: join(shots, 'backup-browse-3-search.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
