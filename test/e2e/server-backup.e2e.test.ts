// Steward's own backup in a real browser against a real server: an admin finds it in the navigation, points it
// at a folder on the server, is told which field is wrong when the schedule is not one, saves, backs Steward up
// now and sees the run succeed with its snapshot. An agent has no entry for it and is told the page is not found.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { apiAs, overflow, PASSWORD, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('Steward’s own backup', () => {
  let server: Server;
  let shots: string;
  let store: string;
  let admin: Awaited<ReturnType<typeof apiAs>>;

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
    store = mkdtempSync(join(tmpdir(), 'steward-e2e-selfbackup-'));
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/backup/targets', { name: 'Server disk', location: store });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(store, { recursive: true, force: true });
  });

  it('an admin points it at a target, backs Steward up now and sees the run succeed', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Steward’s own backup' })
        .click();
      await page.getByRole('heading', { name: 'Steward’s own backup', level: 1 }).waitFor();
      await page.getByText('Steward is not backed up: choose a storage target below.').waitFor();
      await page.getByText('No backup of Steward yet.').waitFor();
      const backUpNow = page.getByRole('button', { name: 'Back up now' });
      expect(await backUpNow.isDisabled()).toBe(true);

      // a schedule that is not one: the field says so, nothing is saved
      const form = page.getByRole('form', { name: 'Steward’s own backup settings' });
      await form.getByLabel('Storage target').selectOption({ label: 'Server disk' });
      await form.getByLabel('Back Steward up on its schedule').check();
      await form.getByLabel('Schedule', { exact: true }).fill('every night');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
      expect(await form.getByLabel('Schedule', { exact: true }).getAttribute('aria-invalid')).toBe('true');

      await form.getByLabel('Schedule', { exact: true }).fill('30 1 * * *');
      await form.getByLabel('Time zone').fill('Europe/Paris');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('The settings were saved.').waitFor();
      await page.getByText(/Backups go to Server disk; the next one is due/).waitFor();

      await backUpNow.click();
      const runs = page.getByRole('table', { name: 'Runs of Steward’s own backup' });
      const row = runs.getByRole('row').filter({ hasText: 'By hand' });
      await row.getByText('Succeeded').waitFor({ timeout: 120_000 });
      expect(await row.textContent()).toMatch(/[0-9a-f]{8}/);
      await page.screenshot({ path: join(shots, 'server-backup-1-run.png'), fullPage: true });
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      const saved = (await admin('GET', '/api/v1/dr/server-backup')) as Record<string, unknown>;
      expect(saved).toMatchObject({ enabled: true, targetName: 'Server disk', cron: '30 1 * * *' });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('is not shown to agents: no navigation entry, and the page is not found', async () => {
    await admin('POST', '/api/v1/users', {
      email: 'ada@example.com',
      name: 'Ada Agent',
      role: 'agent',
      password: PASSWORD,
    });
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    try {
      await signIn(page, server.url, 'ada@example.com', PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Queue' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Steward’s own backup' }).count()).toBe(0);
      await page.goto(`${server.url}/steward-backup`);
      await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    } finally {
      await close();
    }
  });
});
