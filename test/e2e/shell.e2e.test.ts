// The web shell in a real browser against a real server: sign-in (wrong and right password), creating a user
// through the form (server-side field errors first, then success), and the phone layout's menu.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Fills the sign-in form and submits it. */
async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** How far the page is wider than the window (0 or less: no sideways scrolling). Runs in the browser. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/** Fails the test on any uncaught error in the page (React render errors, bad imports). */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe.skipIf(!enabled)('web shell', () => {
  let server: Server;
  let shots: string;
  /** The agent the first test creates through the form; the token test signs in as them. */
  let agent: { email: string; password: string } | undefined;

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('signs in, rejects a wrong password, and creates a user through the form', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 800 });
    const pageErrors = collectPageErrors(page);
    try {
      // a private page sends an anonymous visitor to the sign-in page
      await page.goto(`${server.url}/users`);
      await page.waitForURL('**/sign-in');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.screenshot({ path: join(shots, 'desktop-1-sign-in.png') });

      // wrong password: an error, and still on the sign-in page
      await signIn(page, server.adminEmail, 'not-the-password-at-all');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('e-mail address or password is not correct');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await page.screenshot({ path: join(shots, 'desktop-2-sign-in-error.png') });

      // right password: back to the page that was asked for
      await page.getByLabel('Password', { exact: true }).fill(server.adminPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/users');
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

      // an admin sees every area in the sidebar
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const label of [
        'Home',
        'Help & requests',
        'Knowledge',
        'Catalogue',
        'Queue',
        'Inventory',
        'Changes',
        'Passwords',
        'Users',
        'Teams',
        'Settings',
        'Audit log',
        'Notifications',
        'API tokens',
      ]) {
        await nav.getByRole('link', { name: label }).waitFor();
      }
      await page.getByRole('button', { name: 'Open menu' }).waitFor({ state: 'hidden' });

      // the form shows the server's per-field messages
      await page.getByRole('link', { name: 'New user' }).click();
      await page.getByRole('heading', { name: 'New user' }).waitFor();
      await page.getByLabel('Name', { exact: true }).fill('Grace Hopper');
      await page.getByLabel('E-mail', { exact: true }).fill('not-an-address');
      await page.getByLabel('Initial password').fill('short');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByRole('alert').filter({ hasText: 'The user was not created' }).waitFor();
      const emailInput = page.getByLabel('E-mail', { exact: true });
      expect(await emailInput.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Initial password').getAttribute('aria-invalid')).toBe('true');
      await page.screenshot({ path: join(shots, 'desktop-3-new-user-errors.png'), fullPage: true });

      // corrected: the user is created and listed
      const email = `grace.${Date.now()}@example.com`;
      await emailInput.fill(email);
      await page.getByLabel('Initial password').fill('a long enough password');
      await page.getByLabel('Role', { exact: true }).selectOption('agent');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.waitForURL('**/users');
      await page.getByRole('status').filter({ hasText: 'Grace Hopper was created.' }).waitFor();
      const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: email });
      await row.waitFor();
      expect(await row.textContent()).toContain('Agent');
      agent = { email, password: 'a long enough password' };

      // the search finds it
      await page.getByLabel('Search').fill('grace');
      await page.getByRole('row').filter({ hasText: server.adminEmail }).waitFor({ state: 'detached' });
      await row.waitFor();
      await page.getByLabel('Search').fill('');
      await page.getByRole('row').filter({ hasText: server.adminEmail }).waitFor();
      await page.screenshot({ path: join(shots, 'desktop-4-users.png'), fullPage: true });

      // the other admin pages render
      await nav.getByRole('link', { name: 'Teams' }).click();
      await page.getByRole('heading', { name: 'Teams', level: 1 }).waitFor();
      await nav.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
      await page.getByRole('table', { name: 'Audit entries' }).waitFor();
      await page.screenshot({ path: join(shots, 'desktop-5-audit.png'), fullPage: true });
      await nav.getByRole('link', { name: 'API tokens' }).click();
      await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
      await page.screenshot({ path: join(shots, 'desktop-6-tokens.png'), fullPage: true });

      // sign out ends the session
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/sign-in');
      await page.goto(`${server.url}/`);
      await page.waitForURL('**/sign-in');
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows an agent only their areas, and their API token once', async () => {
    expect(agent, 'the first test creates the agent').toBeDefined();
    if (agent === undefined) return;
    const { context, page, close } = await openBrowser({ width: 1280, height: 800 });
    const pageErrors = collectPageErrors(page);
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await page.goto(`${server.url}/sign-in`);
      await signIn(page, agent.email, agent.password);
      await page.getByRole('heading', { name: 'Welcome, Grace' }).waitFor();

      // no admin areas in the navigation, and an admin address says so
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'Home',
        'Help & requests',
        'Knowledge',
        'Catalogue',
        'Queue',
        'Inventory',
        'Exposure',
        'Changes',
        'Passwords',
        'Access reviews',
        'Compliance',
        'Dashboards',
        'Backed-up files',
        'Disaster recovery',
        'Notifications',
        'API tokens',
        'My account',
      ]);
      await page.goto(`${server.url}/users`);
      await page.getByRole('heading', { name: 'Not available' }).waitFor();

      // a new token is shown once, can be copied, and is listed by name
      await nav.getByRole('link', { name: 'API tokens' }).click();
      await page.getByLabel('Name', { exact: true }).fill('ci script');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = (await page.getByTestId('new-token').textContent()) ?? '';
      expect(secret.length).toBeGreaterThan(20);
      await page.getByRole('button', { name: 'Copy' }).click();
      await page.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
      const row = page
        .getByRole('table', { name: 'API tokens' })
        .getByRole('row')
        .filter({ hasText: 'ci script' });
      await row.getByText('Active').waitFor();
      expect(await row.textContent()).not.toContain(secret);
      await page.screenshot({ path: join(shots, 'desktop-7-token-created.png'), fullPage: true });

      // revoking needs a second click
      await row.getByRole('button', { name: 'Revoke' }).click();
      await row.getByRole('button', { name: 'Confirm revoke' }).click();
      await row.getByText('Revoked').waitFor();

      // after a reload the secret is gone for good
      await page.reload();
      await row.waitFor();
      expect(await page.getByTestId('new-token').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('refuses a save over a newer version (ETag) and reloads the current one', async () => {
    expect(agent, 'the first test creates the agent').toBeDefined();
    if (agent === undefined) return;
    const { context, page, close } = await openBrowser({ width: 1280, height: 800 });
    const pageErrors = collectPageErrors(page);
    try {
      await page.goto(`${server.url}/sign-in`);
      await signIn(page, server.adminEmail, server.adminPassword);
      await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
      await page.goto(`${server.url}/users`);
      await page.getByRole('row').filter({ hasText: agent.email }).getByRole('link').click();
      await page.getByRole('heading', { name: 'Profile' }).waitFor();

      // a second tab saves first
      const other = await context.newPage();
      await other.goto(page.url());
      await other.getByLabel('Name', { exact: true }).fill('Grace M. Hopper');
      await other.getByRole('button', { name: 'Save changes' }).click();
      await other.getByText('Changes saved.').waitFor();

      // this tab still holds the old ETag: the server answers 412 and nothing is overwritten
      await page.getByLabel('Name', { exact: true }).fill('Amazing Grace');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Someone else changed this user meanwhile').waitFor();
      await page.screenshot({ path: join(shots, 'desktop-8-stale.png') });
      await page.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('heading', { name: 'Grace M. Hopper', level: 1 }).waitFor();
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Grace M. Hopper');
      expect(await page.getByText('Someone else changed this user meanwhile').count()).toBe(0);

      // and saving from the current version works
      await page.getByLabel('Role', { exact: true }).selectOption('manager');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Changes saved.').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('on a phone, a menu button opens the navigation', async () => {
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    const pageErrors = collectPageErrors(page);
    try {
      await page.goto(`${server.url}/`);
      await page.waitForURL('**/sign-in');
      await page.screenshot({ path: join(shots, 'phone-1-sign-in.png') });
      await signIn(page, server.adminEmail, server.adminPassword);
      await page.getByRole('heading', { name: /^Welcome/ }).waitFor();

      // a top bar with a menu button; the navigation is closed
      const menu = page.getByRole('button', { name: 'Open menu' });
      await menu.waitFor();
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      const usersLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' });
      expect(await usersLink.isVisible()).toBe(false);
      const overflow = await horizontalOverflow(page);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(shots, 'phone-2-home.png') });

      // the button opens it; choosing an entry navigates and closes it
      await menu.click();
      const closeButton = page.getByRole('button', { name: 'Close menu' });
      expect(await closeButton.getAttribute('aria-expanded')).toBe('true');
      await usersLink.waitFor();
      await page.screenshot({ path: join(shots, 'phone-3-menu-open.png') });
      await usersLink.click();
      await page.waitForURL('**/users');
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      await usersLink.waitFor({ state: 'hidden' });
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(shots, 'phone-4-users.png'), fullPage: true });

      // Escape closes an open menu too
      await page.getByRole('button', { name: 'Open menu' }).click();
      await usersLink.waitFor();
      await page.keyboard.press('Escape');
      await usersLink.waitFor({ state: 'hidden' });

      await page.getByRole('link', { name: 'New user' }).click();
      await page.getByRole('heading', { name: 'New user' }).waitFor();
      await page.screenshot({ path: join(shots, 'phone-5-new-user.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    } finally {
      await close();
    }
  });
});
