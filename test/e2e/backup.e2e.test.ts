// Company backups in a real browser against a real server: an admin registers a folder on the server as a
// storage target and tests it (and a broken one fails its test), keeps an S3 target's secrets write-only,
// creates a policy, assigns it to the laptops' class and sees which devices it covers, sets up a laptop's
// repository from its inventory page, and after the laptop's agent reports a run, the run reads in words and
// the dashboard counts it healthy beside a laptop never backed up. Phones do not scroll sideways.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportOf } from '../support/devices.js';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Api = Awaited<ReturnType<typeof apiAs>>;

describe.skipIf(!enabled)('company backups', () => {
  let server: Server;
  let shots: string;
  let admin: Api;
  let store: string;
  const devices: Record<string, { token: string; ciId: string }> = {};

  /** Enrols a laptop and reports its inventory, as its agent does. */
  const enrol = async (hostname: string) => {
    const { token: enrolmentToken } = (await admin('POST', '/api/v1/agents/enrolment-tokens', {
      uses: 1,
      note: hostname,
    })) as { token: string };
    const uuid = randomUUID();
    const enrolled = await fetch(`${server.url}/api/v1/agents/enrol`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enrolmentToken, hostname, systemUuid: uuid }),
    });
    expect(enrolled.status).toBe(201);
    const { token } = (await enrolled.json()) as { token: string };
    const reported = await fetch(`${server.url}/api/v1/agents/report`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(reportOf(hostname, uuid)),
    });
    expect(reported.status).toBe(200);
    devices[hostname] = { token, ciId: ((await reported.json()) as { ciId: string }).ciId };
  };

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
    store = mkdtempSync(join(tmpdir(), 'steward-e2e-backups-'));
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await enrol('eve-laptop');
    await enrol('fay-laptop');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(store, { recursive: true, force: true });
  });

  it('an admin sets up targets, a policy and a laptop’s repository, and the dashboard shows its backups', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
      await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
      const fleet = page.getByRole('table', { name: 'Computers by backup risk' });
      await fleet.getByRole('row').filter({ hasText: 'eve-laptop' }).getByText('No policy').waitFor();

      // a folder on the server: created, then tested with a probe
      const tabs = page.getByRole('navigation', { name: 'Backups' });
      await tabs.getByRole('link', { name: 'Storage targets' }).click();
      await page.getByRole('heading', { name: 'Storage targets', level: 1 }).waitFor();
      await page.getByText('No storage target yet').waitFor();
      await page.getByRole('button', { name: 'New target' }).click();
      const form = page.getByRole('form', { name: 'New storage target' });
      await form.getByLabel('Name').fill('Server disk');
      await form.getByLabel('Folder').fill('backups-here');
      await form.getByRole('button', { name: 'Create target' }).click();
      await form.getByText('A folder on the server must be an absolute path').waitFor();
      await form.getByLabel('Folder').fill(join(store, 'disk'));
      await form.getByRole('button', { name: 'Create target' }).click();
      await page.getByText('Server disk was created.').waitFor();
      const targets = page.getByRole('table', { name: 'Storage targets' });
      await targets.getByRole('button', { name: 'Test Server disk' }).click();
      await page.getByText('Server disk works: Steward wrote, read, listed and deleted a probe.').waitFor();

      // S3 credentials are written, never shown back, and replaced only on purpose
      await page.getByRole('button', { name: 'New target' }).click();
      await form.getByLabel('Name').fill('Cloud bucket');
      await form.getByLabel('Kind').selectOption({ label: 'S3-compatible object storage' });
      await form.getByLabel('Bucket address').fill('http://127.0.0.1:1/steward-bucket');
      await form.getByRole('button', { name: 'Create target' }).click();
      await form.getByText('Required').first().waitFor();
      expect(await form.getByLabel('Access key ID (required)').getAttribute('aria-invalid')).toBe('true');
      await form.getByLabel('Access key ID (required)').fill('AKIAEXAMPLEKEY');
      await form.getByLabel('Secret access key (required)').fill('very-secret-value-42');
      await form.getByRole('button', { name: 'Create target' }).click();
      await page.getByText('Cloud bucket was created.').waitFor();
      await targets
        .getByRole('row')
        .filter({ hasText: 'Cloud bucket' })
        .getByText('Access key ID, Secret access key')
        .waitFor();
      await targets.getByRole('button', { name: 'Edit Cloud bucket' }).click();
      const edit = page.getByRole('form', { name: 'Edit Cloud bucket' });
      await edit.getByLabel('Replace the stored credentials').waitFor();
      expect(await edit.getByLabel('Secret access key (required)').count()).toBe(0);
      await edit.getByLabel('Replace the stored credentials').check();
      expect(await edit.getByLabel('Secret access key (required)').inputValue()).toBe('');
      expect(await edit.getByLabel('Access key ID (required)').inputValue()).toBe('');
      await edit.getByLabel('Replace the stored credentials').uncheck();
      await edit.getByLabel('Name').fill('Cloud bucket (old)');
      await edit.getByRole('button', { name: 'Save target' }).click();
      await page.getByText('Cloud bucket (old) was saved.').waitFor();
      expect(await page.content()).not.toContain('very-secret-value-42');
      // it cannot be reached: its test says so; then it is deleted (two clicks)
      await targets.getByRole('button', { name: 'Test Cloud bucket (old)' }).click();
      await page.getByText('Cloud bucket (old) failed its test').waitFor();
      await page.screenshot({ path: join(shots, 'backup-1-targets.png'), fullPage: true });
      await targets
        .getByRole('row')
        .filter({ hasText: 'Cloud bucket (old)' })
        .getByRole('button', { name: 'Delete' })
        .click();
      await targets.getByRole('button', { name: 'Confirm: delete Cloud bucket (old)' }).click();
      await page.getByText('Cloud bucket (old) was deleted.').waitFor();
      await expect.poll(() => targets.getByRole('row').count()).toBe(2);

      // a policy: daily at noon, a day's RPO; assigned to the laptops' class; the preview lists both laptops
      await tabs.getByRole('link', { name: 'Policies' }).click();
      await page.getByRole('link', { name: 'New policy' }).click();
      await page.getByRole('heading', { name: 'New backup policy', level: 1 }).waitFor();
      const pf = page.getByRole('form', { name: 'New backup policy' });
      expect(await pf.getByLabel('Linux').inputValue()).toBe('/home\n/root');
      expect(await pf.getByLabel('Windows').inputValue()).toBe('C:\\Users');
      await pf.getByLabel('Name').fill('Laptops, daily');
      await pf.getByLabel('Cron pattern').fill('0 12 * * *');
      await pf.getByLabel('Time zone').fill('Mars/Olympus');
      await pf.getByLabel('Recovery point objective').fill('1');
      await pf.getByLabel('Unit').selectOption({ label: 'Days' });
      await pf.getByLabel('Patterns, one per line').fill('*.tmp\nnode_modules');
      await pf.getByRole('button', { name: 'Create policy' }).click();
      await page.getByRole('alert').filter({ hasText: 'The policy was not created' }).waitFor();
      await pf.getByLabel('Time zone').fill('UTC');
      await pf.getByRole('button', { name: 'Create policy' }).click();
      await page.getByRole('heading', { name: 'Laptops, daily', level: 1 }).waitFor();
      await page.getByText('Every day at 12:00 (UTC)').waitFor();
      await page.getByText('Laptops, daily was created.').waitFor();
      const coverage = page.getByRole('region', { name: 'Which devices' });
      await coverage.getByText('No computer takes this policy now.').waitFor();
      const assigned = page.getByRole('region', { name: 'Assigned to' });
      await assigned.getByLabel('Assign to a', { exact: true }).selectOption({ label: 'Class' });
      await assigned.getByLabel('Class', { exact: true }).selectOption({ label: 'Laptop' });
      await assigned.getByRole('button', { name: 'Assign' }).click();
      await assigned.getByRole('list', { name: 'Assignments' }).getByText('Laptop').waitFor();
      await coverage.getByRole('link', { name: 'eve-laptop' }).waitFor();
      await coverage.getByRole('link', { name: 'fay-laptop' }).waitFor();
      await page.screenshot({ path: join(shots, 'backup-2-policy.png'), fullPage: true });

      // the laptop's page: "Set up backups" creates its repository on the target
      await coverage.getByRole('link', { name: 'eve-laptop' }).click();
      await page.getByRole('heading', { name: 'eve-laptop', level: 1 }).waitFor();
      const panel = page.getByRole('region', { name: 'Backups' });
      await panel.getByText('Never backed up').waitFor();
      await panel.getByText('Laptops, daily').waitFor();
      await panel.getByRole('button', { name: 'Set up backups' }).click();
      await panel.getByRole('link', { name: 'Server disk' }).waitFor();
      await panel.getByText(join(store, 'disk', `steward-${devices['eve-laptop']?.ciId}`)).waitFor();
      await panel.getByText('No backup has run yet').waitFor();
      expect(existsSync(join(store, 'disk', `steward-${devices['eve-laptop']?.ciId}`, 'config'))).toBe(true);

      // the agent reports a run with a warning: it reads in words on the page
      const started = new Date(Date.now() - 2 * 3600_000);
      const run = await fetch(`${server.url}/api/v1/agents/backup/runs`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          authorization: `Bearer ${devices['eve-laptop']?.token}`,
        },
        body: JSON.stringify({
          startedAt: started.toISOString(),
          finishedAt: new Date(started.getTime() + 95_000).toISOString(),
          status: 'partial',
          snapshotId: 'ab'.repeat(32),
          filesNew: 12,
          filesChanged: 3,
          filesUnmodified: 400,
          bytesProcessed: 9_000_000,
          bytesAdded: 2_500_000,
          warnings: ['/home/eve/locked.db: permission denied'],
          error: null,
        }),
      });
      expect(run.status).toBe(201);
      await page.reload();
      await panel.getByText('12 new files, 3 changed files, 2.5 MB added').waitFor();
      await panel.getByText('Completed with warnings').waitFor();
      await panel.getByText('/home/eve/locked.db: permission denied').waitFor();
      await panel.getByText('2 hours ago').waitFor();
      await panel.getByText('Healthy').waitFor();
      await page
        .getByRole('region', { name: 'History' })
        .getByText('backed it up, with files it could not read')
        .waitFor();
      await page.screenshot({ path: join(shots, 'backup-3-device.png'), fullPage: true });

      // the dashboard: fay never backed up comes first, eve healthy; the counts say so
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
      const counts = page.getByRole('list', { name: 'Devices by backup state' });
      await counts
        .getByRole('listitem')
        .filter({ hasText: 'Healthy' })
        .getByText('1', { exact: true })
        .waitFor();
      await counts
        .getByRole('listitem')
        .filter({ hasText: 'Never backed up' })
        .getByText('1', { exact: true })
        .waitFor();
      const rows = fleet.getByRole('row');
      await expect.poll(() => rows.nth(1).textContent()).toContain('fay-laptop');
      expect(await rows.nth(2).textContent()).toContain('eve-laptop');
      const eve = rows.filter({ hasText: 'eve-laptop' });
      await eve.getByText('Healthy').waitFor();
      await eve.getByText('2 hours of work at risk, target 1 day').waitFor();
      await eve.getByRole('link', { name: 'eve-laptop' }).waitFor();
      expect(await eve.getByRole('link', { name: 'eve-laptop' }).getAttribute('href')).toBe(
        `/inventory/${devices['eve-laptop']?.ciId}`,
      );
      await page.screenshot({ path: join(shots, 'backup-4-dashboard.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('fits a phone: the dashboard, targets, a policy and a laptop’s backups', async () => {
    const { page, close } = await openBrowser({ width: 375, height: 740 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      const policies = (await admin('GET', '/api/v1/backup/policies')) as { items: { id: string }[] };
      for (const [path, heading] of [
        ['/backups', 'Backups'],
        ['/backups/targets', 'Storage targets'],
        ['/backups/policies', 'Backup policies'],
        [`/backups/policies/${policies.items[0]?.id}`, 'Laptops, daily'],
        ['/backups/policies/new', 'New backup policy'],
        [`/inventory/${devices['eve-laptop']?.ciId}`, 'eve-laptop'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        expect(await overflow(page), path).toBeLessThanOrEqual(0);
      }
      await page.screenshot({ path: join(shots, 'backup-5-phone-device.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('is not shown to agents: no navigation entry, and the pages are not found', async () => {
    await admin('POST', '/api/v1/users', {
      email: 'ada@example.com',
      name: 'Ada Agent',
      role: 'agent',
      password: 'a long enough password',
    });
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    try {
      await signIn(page, server.url, 'ada@example.com', 'a long enough password');
      expect(
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).count(),
      ).toBe(0);
      await page.goto(`${server.url}/backups`);
      await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
      await page.goto(`${server.url}/inventory/${devices['eve-laptop']?.ciId}`);
      await page.getByRole('heading', { name: 'eve-laptop', level: 1 }).waitFor();
      await page.getByRole('region', { name: 'Impact analysis' }).waitFor();
      expect(await page.getByRole('region', { name: 'Backups' }).count()).toBe(0);
    } finally {
      await close();
    }
  });
});
