// Agent speed in a real browser (issue 24): the ? overlay, j/k/o in the queue, the queue updating live when
// someone else opens a ticket, "someone else is replying", a macro in one click, Ctrl+Enter, send and resolve,
// and the column chooser saved per person; on a phone the queue still shows status and priority.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Api = Awaited<ReturnType<typeof apiAs>>;

describe.skipIf(!enabled)('agent speed', () => {
  let server: Server;
  let sam: Api;
  let ada: Api;
  let teamId = '';
  const adaUser = { email: 'ada@example.com', name: 'Ada Agent' };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const team = await admin('POST', '/api/v1/teams', { name: 'Service Desk' });
    teamId = team.id;
    await admin('POST', '/api/v1/users', {
      ...adaUser,
      role: 'agent',
      password: PASSWORD,
      teamIds: [team.id],
    });
    await admin('POST', '/api/v1/users', {
      email: 'sam@example.com',
      name: 'Sam Agent',
      role: 'agent',
      password: PASSWORD,
      teamIds: [team.id],
    });
    sam = await apiAs(server.url, 'sam@example.com', PASSWORD);
    ada = await apiAs(server.url, adaUser.email, PASSWORD);
    await sam('POST', '/api/v1/tickets', { type: 'incident', title: 'Printer jams', teamId });
    await ada('POST', '/api/v1/macros', {
      name: 'On it',
      body: 'We are looking into it.',
      changes: { status: 'in_progress' },
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('works the queue and a ticket from the keyboard, live', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, adaUser.email, PASSWORD);
      await page.goto(`${server.url}/tickets`);
      const table = page.getByRole('table', { name: 'Tickets' });
      await table.getByRole('link', { name: 'Printer jams' }).waitFor();

      // ? lists the shortcuts; Escape closes the list
      await page.keyboard.press('?');
      const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await dialog.waitFor();
      expect(await dialog.getByRole('row').count()).toBeGreaterThan(5);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // someone else opens a ticket: it appears without a reload
      await sam('POST', '/api/v1/tickets', { type: 'incident', title: 'VPN drops every hour', teamId });
      await table.getByRole('link', { name: 'VPN drops every hour' }).waitFor();

      // the column chooser: Category off, saved for the person (still off after a reload)
      expect(await table.getByRole('columnheader', { name: 'Category' }).count()).toBe(1);
      await page.getByText('Columns', { exact: true }).click();
      // each choice is saved before the next (the page shows it at once, the server answers after)
      const saved = () =>
        page.waitForResponse(
          (r) => r.url().endsWith('/api/v1/queue-prefs') && r.request().method() === 'PUT',
        );
      let put = saved();
      await page.getByRole('checkbox', { name: 'Category' }).uncheck();
      await put;
      put = saved();
      await page.getByRole('checkbox', { name: 'Compact rows' }).check();
      await put;
      await table.getByRole('columnheader', { name: 'Category' }).waitFor({ state: 'detached' });
      await page.reload();
      await table.getByRole('link', { name: 'Printer jams' }).waitFor();
      // the saved layout replaces the default one as soon as it has loaded
      await page.locator('.queue-compact').waitFor();
      expect(await table.getByRole('columnheader', { name: 'Category' }).count()).toBe(0);
      expect(await table.getByRole('columnheader', { name: 'Requester' }).count()).toBe(1);

      // j j k: down two rows and back to the first (its number takes the focus); o opens it
      const blur = () => page.evaluate<void>('document.activeElement?.blur?.()');
      await blur();
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      const firstKey = await table.getByRole('row').nth(1).getByRole('link').first().textContent();
      expect(await page.evaluate<string | null | undefined>('document.activeElement?.textContent')).toBe(
        firstKey,
      );
      await page.keyboard.press('o');
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      await page
        .getByRole('heading', { level: 1 })
        .filter({ hasText: firstKey ?? '' })
        .waitFor();
      const ticketId = page.url().split('/').pop() ?? '';

      // Sam is replying to the same ticket
      await sam('PUT', `/api/v1/tickets/${ticketId}/presence`, { state: 'replying' });
      await page.getByText('Sam Agent is replying').waitFor();

      // a macro in one click: its reply and its status change
      await page.getByLabel('Macro', { exact: true }).selectOption({ label: 'On it' });
      await page.getByRole('button', { name: 'Apply macro' }).click();
      await page.getByText('We are looking into it.').waitFor();
      await page.locator('.status-in_progress').first().waitFor();

      // r starts a reply, Ctrl+Enter sends it
      await blur();
      await page.keyboard.press('r');
      await page.keyboard.type('Have you tried another tray?');
      await page.keyboard.press('Control+Enter');
      await page.getByText('Have you tried another tray?').waitFor();

      // reply and resolve in one step, once the reply before it has gone (the box is empty again)
      const box = page.getByLabel('Your reply');
      await expect.poll(() => box.inputValue()).toBe('');
      await box.fill('Fixed: the tray was jammed.');
      await page.getByRole('button', { name: 'Send and resolve' }).click();
      await page.getByText('changed the status from In progress to Resolved').waitFor();
      await page.locator('.status-resolved').first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows status and priority on a phone even when a wide layout left them out', async () => {
    await ada('PUT', '/api/v1/queue-prefs', { columns: ['team'], density: 'compact' });
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    try {
      await signIn(page, server.url, adaUser.email, PASSWORD);
      await page.goto(`${server.url}/tickets`);
      const table = page.getByRole('table', { name: 'Tickets' });
      await table.getByRole('link', { name: 'Printer jams' }).waitFor();
      expect(await table.getByRole('columnheader', { name: 'Status' }).isVisible()).toBe(true);
      expect(await table.getByRole('columnheader', { name: 'Priority' }).isVisible()).toBe(true);
      expect(await table.getByRole('columnheader', { name: 'Team' }).isVisible()).toBe(false);
    } finally {
      await close();
    }
  });
});
