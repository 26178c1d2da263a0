// A new IT team's first day, in a real browser against a real server process: the sign-in page of a fresh
// install says how to make the first admin (and logs nothing in the console for the signed-out session probe);
// "forgot password" e-mails a link (through a real SMTP session) that opens "Set your password".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

/** Console messages of type error (a failed request shows up there as "Failed to load resource"). */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

describe.skipIf(!enabled)('first day', () => {
  let server: TestServer;
  let smtp: SmtpCapture;
  const admin = { email: 'ada.admin@example.com', name: 'Ada Admin', password: PASSWORD };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({
      noAdmin: true,
      env: {
        STEWARD_SMTP_HOST: '127.0.0.1',
        STEWARD_SMTP_PORT: String(smtp.port),
        STEWARD_SMTP_SECURITY: 'none',
        STEWARD_JOBS_POLL_MS: '200',
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('tells a fresh install how to create the first admin, without console errors', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 800 });
    const errors = watchPage(page);
    const logged = consoleErrors(page);
    try {
      await page.goto(`${server.url}/`);
      await page.waitForURL('**/sign-in');
      const hint = page.getByRole('status').filter({ hasText: 'No admin yet' });
      await hint.waitFor();
      expect(await hint.textContent()).toContain('steward admin create');
      // The first admin, made with the set-up token the running server wrote into its data folder.
      const token = readFileSync(join(server.env.STEWARD_DATA_DIR ?? '', 'setup-token'), 'utf8').trim();
      const r = await fetch(`${server.url}/api/v1/setup/admin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, ...admin }),
      });
      expect(r.status).toBe(201);
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByRole('link', { name: 'Forgot password?' }).waitFor();
      expect(await page.getByText('No admin yet').count()).toBe(0);
      expect(logged).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('e-mails a reset link that opens "Set your password", then signs in with the new password', async () => {
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    const errors = watchPage(page);
    try {
      await page.goto(`${server.url}/sign-in`);
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      await page.getByLabel('E-mail', { exact: true }).fill(admin.email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByText('Check your mail').waitFor();
      const mail = await smtp.waitFor((m) => m.to.includes(admin.email));
      const link = /\/set-password#reset=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
      expect(link).toBeDefined();
      await page.goto(`${server.url}${link}`);
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await page.getByLabel('New password', { exact: true }).fill('the violet lighthouse keeper');
      await page.getByLabel('Repeat the password', { exact: true }).fill('the violet lighthouse');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText('The two passwords differ').waitFor();
      await page.getByLabel('Repeat the password', { exact: true }).fill('the violet lighthouse keeper');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.waitForURL('**/sign-in');
      await page.getByText('Your password is set').waitFor();
      await page.getByLabel('E-mail', { exact: true }).fill(admin.email);
      await page.getByLabel('Password', { exact: true }).fill('the violet lighthouse keeper');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
      // The link worked once: opened again, it is refused with a way forward.
      await page.goto(`${server.url}${link}`);
      await page.getByLabel('New password', { exact: true }).fill('another fine passphrase');
      await page.getByLabel('Repeat the password', { exact: true }).fill('another fine passphrase');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText(/was used already or has expired/).waitFor();
      await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('small defects: audit "When" stays visible, inventory buttons wrap, portal errors clear, lazy pages load', async () => {
    const newPassword = 'the violet lighthouse keeper';
    const api = await apiAs(server.url, admin.email, newPassword);
    await api('POST', '/api/v1/users', {
      email: 'rita@example.com',
      name: 'Rita Requester',
      role: 'requester',
      password: PASSWORD,
    });
    for (const width of [390, 1280]) {
      const { page, close } = await openBrowser({ width, height: 844 });
      const errors = watchPage(page);
      try {
        await signIn(page, server.url, admin.email, newPassword);
        // the audit trail with a diff open keeps its "When" column on screen
        await page.goto(`${server.url}/audit`);
        const table = page.getByRole('table', { name: 'Audit entries' });
        await table.getByRole('button', { name: 'Changes' }).first().click();
        await table.getByRole('table', { name: 'Changes' }).waitFor();
        const when = await table.getByRole('columnheader', { name: 'When' }).boundingBox();
        const firstWhen = await table.locator('td.cell-when').first().boundingBox();
        for (const box of [when, firstWhen]) {
          expect(box).not.toBeNull();
          expect(box!.x).toBeGreaterThanOrEqual(0);
          expect(box!.width).toBeGreaterThan(40);
          expect(box!.x + box!.width).toBeLessThanOrEqual(width);
        }
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        // the inventory's buttons wrap instead of running off a phone's screen; its page is loaded on demand,
        // with a loading message while its code arrives
        await page.route('**/assets/InventoryPage-*.js', async (route) => {
          await new Promise((r) => setTimeout(r, 1500));
          await route.continue();
        });
        await page.goto(`${server.url}/`);
        await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
        if (width < 600) await page.getByRole('button', { name: 'Open menu' }).click();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
        await page.getByRole('status').filter({ hasText: 'Loading the page…' }).waitFor();
        await page.getByRole('heading', { name: 'Inventory', level: 1 }).waitFor();
        const newItem = await page.getByRole('link', { name: 'New item' }).boundingBox();
        expect(newItem!.x + newItem!.width).toBeLessThanOrEqual(width);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    const errors = watchPage(page);
    try {
      // the portal form's message for a field goes away once the field is changed
      await signIn(page, server.url, 'rita@example.com', PASSWORD);
      await page.goto(`${server.url}/portal/new`);
      const form = page.getByRole('form', { name: 'New ticket' });
      await form.getByRole('button', { name: 'Send' }).click();
      const titleError = form
        .locator('.field', { has: page.getByLabel('Title', { exact: true }) })
        .locator('.field-error');
      await titleError.waitFor();
      await form.getByLabel('Title', { exact: true }).fill('The printer jams');
      await titleError.waitFor({ state: 'detached' });
      // and with it the summary that pointed at it
      expect(await form.getByText('Correct the fields marked below.').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
