// Scheduled reports in a real browser: Mia, a manager, goes from her dashboard to the scheduled reports,
// schedules a monthly report of two KPIs for Ann, presses "Send now", sees it sent, pauses and resumes it;
// Ann's mail (through a real SMTP session) carries the PDF and the CSV.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { captureSettings, type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('scheduled reports', () => {
  let server: Server;
  let smtp: SmtpCapture;
  const mia = { email: 'mia@example.com', name: 'Mia Manager' };
  const ann = { email: 'ann@example.com', name: 'Ann Agent' };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({ env: captureSettings(smtp) });
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', { ...mia, role: 'manager', password: PASSWORD });
    await admin('POST', '/api/v1/users', { ...ann, role: 'agent', password: PASSWORD });
  });

  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('schedules a monthly report and sends it now', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, mia.email, PASSWORD);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboards' }).click();
      await page.getByRole('link', { name: 'Scheduled reports' }).click();
      await page.getByRole('heading', { name: 'Scheduled reports', level: 1 }).waitFor();
      await page.getByText('You have no scheduled reports yet.').waitFor();
      await page.getByRole('button', { name: 'Schedule a report' }).click();
      await page.getByLabel('Name').fill('Monthly desk report');
      await page.getByLabel('Backlog', { exact: true }).check();
      await page.getByLabel('SLA resolution compliance').check();
      await page.getByRole('searchbox', { name: 'Find a person for “Person”' }).fill('Ann');
      await page
        .getByRole('list', { name: 'People matching for “Person”' })
        .getByRole('button', { name: 'Choose' })
        .click();
      expect(await page.getByLabel('Frequency').inputValue()).toBe('monthly');
      await page.getByLabel('Day').selectOption('1');
      await page.getByLabel('Hour').selectOption('6');
      await page.getByRole('button', { name: 'Save' }).click();
      const panel = page.getByRole('region', { name: 'Monthly desk report' });
      await panel.waitFor();
      await panel.getByText('Monthly on day 1 at 6:00 UTC').waitFor();
      await panel.getByText('Ann Agent').waitFor();
      expect(await panel.getByTestId('last-sent').textContent()).toBe('Never');
      await panel.getByRole('button', { name: 'Send now' }).click();
      await panel.getByRole('table').getByText('Sent', { exact: true }).waitFor({ timeout: 60_000 });
      const mail = await smtp.waitFor((m) => m.to.includes(ann.email));
      expect(mail.subject).toMatch(/^Monthly desk report: \d{4}-\d\d-01 to /);
      expect(mail.attachments.map((a) => a.filename.slice(-4))).toEqual(['.pdf', '.csv']);
      await page.reload();
      await panel.waitFor();
      expect(await panel.getByTestId('last-sent').textContent()).not.toBe('Never');
      // pausing keeps the report and stops its schedule; resuming plans it again
      await panel.getByRole('button', { name: 'Pause' }).click();
      await panel.getByText('Paused', { exact: true }).waitFor();
      await panel.getByRole('button', { name: 'Resume' }).click();
      await panel.getByText('Monthly on day 1 at 6:00 UTC').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 180_000);
});
