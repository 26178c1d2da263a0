// The settings area in a real browser against a real server: an admin walks through every section, changes
// something in each (a category, the matrix, a calendar and a policy, a routing rule tested on a sample ticket,
// a team's strategy and an agent's away flag, the reopen window, a notification message, a test e-mail) and
// sees it took effect; field errors appear beside their fields; the area works at phone width.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

/** Opens a section from the settings list and waits for its heading. */
async function section(page: Page, label: string, heading = label): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: label })
    .click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

describe.skipIf(!enabled)('settings area', () => {
  let server: TestServer;
  let smtp: SmtpCapture;
  let shots: string;
  let agentName: string;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({
      env: {
        STEWARD_SMTP_HOST: '127.0.0.1',
        STEWARD_SMTP_PORT: String(smtp.port),
        STEWARD_SMTP_SECURITY: 'none',
      },
    });
    shots = await screenshotDir();
    const api = await apiAs(server.url, server.adminEmail, server.adminPassword);
    agentName = 'Nora Network';
    const agent = await api('POST', '/api/v1/users', {
      email: 'nora@example.com',
      name: agentName,
      role: 'agent',
      password: PASSWORD,
    });
    await api('POST', '/api/v1/teams', { name: 'Network', memberIds: [agent.id] });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('walks through every section, changing something in each', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

      // categories: a field error, then a category and a subcategory, then a rename
      await section(page, 'Categories');
      const add = page.getByRole('form', { name: 'Add a category' });
      await add.getByRole('button', { name: 'Add category' }).click();
      await add.locator('.field-error').first().waitFor();
      await add.getByLabel('Name').fill('Hardware');
      await add.getByRole('button', { name: 'Add category' }).click();
      await page.getByText('Hardware was added.').waitFor();
      await add.getByLabel('Name').fill('Printers');
      await add.getByLabel('Inside').selectOption({ label: 'Hardware' });
      await add.getByRole('button', { name: 'Add category' }).click();
      await page.getByText('Printers was added.').waitFor();
      const tree = page.getByRole('list', { name: 'Category tree' });
      await tree.getByRole('button', { name: 'Edit Printers' }).click();
      const edit = page.getByRole('form', { name: 'Edit Printers' });
      await edit.getByLabel('Name').fill('Printers and scanners');
      await edit.getByRole('button', { name: 'Save category' }).click();
      await tree.getByText('Printers and scanners').waitFor();

      // priority matrix: low urgency and impact now give "Low"; kept after a reload
      await section(page, 'Priority matrix');
      const cell = page.getByLabel('Priority for urgency 1 and impact 1');
      await cell.selectOption('2');
      await page.getByRole('button', { name: 'Save matrix' }).click();
      await page.getByText('The priority matrix was saved.').waitFor();
      await page.reload();
      await page.getByLabel('Priority for urgency 1 and impact 1').waitFor();
      expect(await page.getByLabel('Priority for urgency 1 and impact 1').inputValue()).toBe('2');

      // service levels: a calendar (a bad span first), then a policy using it
      await section(page, 'Service levels');
      await page.getByRole('button', { name: 'New calendar' }).click();
      const cal = page.getByRole('form', { name: 'New calendar' });
      await cal.getByLabel('Name').fill('Berlin office');
      await cal.getByLabel('Time zone').fill('Europe/Berlin');
      await cal.getByLabel('Monday').fill('nine to five');
      await cal.getByLabel('Holidays').fill('2026-12-25 Christmas Day');
      await cal.getByRole('button', { name: 'Add calendar' }).click();
      expect(await cal.locator('.field-error').first().textContent()).toContain('not a time span');
      await cal.getByLabel('Monday').fill('08:00–12:00, 13:00–17:00');
      await cal.getByRole('button', { name: 'Add calendar' }).click();
      await page.getByText('Berlin office was added.').waitFor();
      await page.getByText('Mon 08:00–12:00, 13:00–17:00').waitFor();
      await page.getByRole('button', { name: 'New policy' }).click();
      const pol = page.getByRole('form', { name: 'New policy' });
      await pol.getByLabel('Name').fill('Incident targets');
      await pol.getByLabel('P3 · Medium: first response').fill('4h');
      await pol.getByLabel('P3 · Medium: resolution').fill('2d');
      await pol.getByRole('button', { name: 'Add policy' }).click();
      expect(await pol.locator('.field-error').first().textContent()).toContain('4h, 30m');
      await pol.getByLabel('P3 · Medium: resolution').fill('16h');
      await pol.getByRole('button', { name: 'Add policy' }).click();
      await page.getByText('Incident targets was added.').waitFor();
      await page
        .getByRole('list', { name: 'Policies' })
        .getByText('Incident tickets · Berlin office')
        .waitFor();

      // routing: a rule, then a test on a sample ticket shows where it would go
      await section(page, 'Routing rules');
      await page.getByRole('button', { name: 'New rule' }).click();
      const rule = page.getByRole('form', { name: 'New rule' });
      await rule.getByLabel('Name', { exact: true }).fill('VPN to network');
      await rule.getByLabel('Words for condition 1').fill('vpn, wifi');
      await rule.getByLabel('Team').selectOption({ label: 'Network' });
      await rule.getByRole('button', { name: 'Add rule' }).click();
      await page.getByText('VPN to network was added.').waitFor();
      await page
        .getByRole('list', { name: 'Routing rules' })
        .getByText('mentions “vpn” or “wifi” → team Network')
        .waitFor();
      const sample = page.getByRole('form', { name: 'Test the rules' });
      await sample.getByLabel('Sample title').fill('The VPN drops every hour');
      await sample.getByRole('button', { name: 'Test' }).click();
      const result = page.getByRole('region', { name: 'Test result' });
      await result.getByText('Team: Network').waitFor();
      await result.getByText('Matches').waitFor();
      await page.screenshot({ path: join(shots, 'settings-routing.png'), fullPage: true });

      // assignment: Network takes turns; the agent is away (kept after a reload)
      await section(page, 'Assignment');
      await page.getByLabel('How Network shares work').selectOption('round_robin');
      await expect.poll(() => page.getByLabel('How Network shares work').isDisabled()).toBe(false);
      await page.getByLabel(`${agentName} is away`).click();
      await expect.poll(() => page.getByLabel(`${agentName} is away`).isChecked()).toBe(true);
      await page.reload();
      await expect.poll(() => page.getByLabel('How Network shares work').inputValue()).toBe('round_robin');
      await expect.poll(() => page.getByLabel(`${agentName} is away`).isChecked()).toBe(true);
      // the test now says the team picks, nobody being available
      await section(page, 'Routing rules');
      await sample.getByLabel('Sample title').fill('wifi is slow');
      await sample.getByRole('button', { name: 'Test' }).click();
      await result.getByText('skipped: assignment: nobody in the team is available').waitFor();

      // reopening and closing: an inconsistent pair is refused beside its field
      await section(page, 'Reopening and closing');
      await page.getByLabel('Reopen window (days)').fill('20');
      await page.getByLabel('Close automatically after (days)').fill('10');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Must be at least the reopen window').waitFor();
      await page.getByLabel('Close automatically after (days)').fill('30');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('The reopen and close windows were saved.').waitFor();
      await page.reload();
      await expect.poll(() => page.getByLabel('Reopen window (days)').inputValue()).toBe('20');

      // notifications: a changed message
      await section(page, 'Notifications');
      await page.getByRole('button', { name: 'Edit the message for Assigned to me' }).click();
      const tpl = page.getByRole('form', { name: 'Message for Assigned to me' });
      await tpl.getByLabel('Subject').fill('[{{ticket.key}}] is yours now');
      await tpl.getByRole('button', { name: 'Save message' }).click();
      await page.getByText('[{{ticket.key}}] is yours now').waitFor();
      await page.getByRole('list', { name: 'Messages' }).getByText('Changed').waitFor();

      // e-mail: the server shown, and a test message that arrives
      await section(page, 'E-mail');
      await page.getByText(`127.0.0.1:${smtp.port}`).waitFor();
      await page.getByLabel('Send to').fill('ops@example.com');
      await page.getByRole('button', { name: 'Send test message' }).click();
      await page.getByText('The mail server accepted the message for ops@example.com.').waitFor();
      expect((await smtp.waitFor((m) => m.to.includes('ops@example.com'))).subject).toBe(
        'Steward test message',
      );
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('works at phone width', async () => {
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      for (const [path, heading] of [
        ['/settings/routing', 'Routing rules'],
        ['/settings/sla', 'Service levels'],
        ['/settings/priorities', 'Priority matrix'],
        ['/settings/assignment', 'Assignment'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        expect(await overflow(page), path).toBeLessThanOrEqual(0);
      }
      await page.screenshot({ path: join(shots, 'settings-phone.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
