// The compliance register in a real browser: the admin loads ISO/IEC 27001 Annex A, declares A.8.13 applicable
// with its owner, maps backup evidence to it and collects: green while the laptop's backups succeed; then the
// backups fail, and the next collection turns the control red, in the list too, and its owner is told.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupRunOf, reportOf } from '../support/devices.js';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('compliance register', () => {
  let server: Server;
  let admin: Awaited<ReturnType<typeof apiAs>>;
  let agentToken = '';
  const otto = { email: 'otto@example.com', name: 'Otto Owner' };

  /** The laptop's agent reports a backup run. */
  async function backupRun(status: 'succeeded' | 'failed', n: number): Promise<void> {
    const r = await fetch(`${server.url}/api/v1/agents/backup/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(backupRunOf(status, n)),
    });
    expect(r.status).toBe(201);
  }

  beforeAll(async () => {
    server = await startTestServer();
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', { ...otto, role: 'agent', password: PASSWORD });
    const { token: enrolmentToken } = (await admin('POST', '/api/v1/agents/enrolment-tokens', {
      uses: 1,
      note: 'e2e',
    })) as { token: string };
    const uuid = randomUUID();
    const post = async (path: string, body: unknown, token?: string) => {
      const r = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return (await r.json()) as { token: string };
    };
    agentToken = (
      await post('/api/v1/agents/enrol', { enrolmentToken, hostname: 'finance-laptop', systemUuid: uuid })
    ).token;
    await post('/api/v1/agents/report', reportOf('finance-laptop', uuid), agentToken);
    for (let n = 1; n <= 3; n++) await backupRun('succeeded', n);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('turns a control red when the backups it is evidenced by fail', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
      await page.getByRole('heading', { name: 'Compliance', level: 1 }).waitFor();
      await page.getByRole('button', { name: /Load ISO\/IEC 27001:2022 Annex A/ }).click();
      await page.getByRole('link', { name: 'ISO/IEC 27001:2022 Annex A' }).click();
      await page.getByRole('link', { name: 'A.8.13 Backups taken and tested' }).click();
      await page.getByRole('heading', { name: 'A.8.13 Backups taken and tested' }).waitFor();

      // the statement of applicability: applicable, why, and who owns it
      await page.getByLabel('Applicability', { exact: true }).selectOption('true');
      await page.getByLabel('Justification', { exact: true }).fill('We keep customer records on laptops');
      await page.getByLabel('Owner', { exact: true }).selectOption({ label: otto.name });
      await page.getByLabel('Review every (months)', { exact: true }).fill('12');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

      // backup evidence, collected now: green
      const mapping = page.getByRole('form', { name: 'Map evidence' });
      await mapping.getByLabel('Source', { exact: true }).selectOption({ label: 'Backup success' });
      await mapping.getByLabel('At least %', { exact: true }).fill('90');
      await mapping.getByRole('button', { name: 'Map evidence' }).click();
      await page.getByRole('table', { name: 'Automatic evidence' }).getByText('Backup success').waitFor();
      await page.getByRole('button', { name: 'Collect now' }).click();
      const status = page.getByRole('status', { name: 'Evidence status' });
      await status.getByText('Green').waitFor();

      // the backups fail: the next collection turns the control red
      for (let n = 4; n <= 6; n++) await backupRun('failed', n);
      await page.getByRole('button', { name: 'Collect now' }).click();
      await status.getByText('Red').waitFor();
      await page.getByText('Evidence failing').waitFor();
      await page
        .getByRole('table', { name: 'Evidence history' })
        .getByText(/3 of 6 backups in the last 7 days succeeded/)
        .waitFor();

      // the framework's list shows it red too
      await page.getByRole('link', { name: 'ISO/IEC 27001:2022 Annex A' }).click();
      const row = page.getByRole('row').filter({ hasText: 'A.8.13' });
      await row.getByText('Red').waitFor();
      await row.getByText(otto.name).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
    // and its owner was told
    const asOtto = await apiAs(server.url, otto.email, PASSWORD);
    const { items } = (await asOtto('GET', '/api/v1/notifications')) as { items: { title: string }[] };
    expect(items.some((n) => n.title.includes('A.8.13'))).toBe(true);
  }, 300_000);
});
