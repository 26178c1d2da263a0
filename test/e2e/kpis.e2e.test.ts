// Dashboards in a real browser: Mia, the service-desk manager, opens her default dashboard with data; clicking the
// backlog figure opens the list with the same number of rows, and a chart bar opens its bucket's list; on a phone
// (390 px) the dashboard fits the screen and its numbers still open their lists.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('dashboards', () => {
  let server: Server;
  const mia = { email: 'mia@example.com', name: 'Mia Manager' };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', { ...mia, role: 'manager', password: PASSWORD });
    const rita = (await admin('POST', '/api/v1/users', {
      email: 'rita@example.com',
      name: 'Rita Requester',
      role: 'requester',
      password: PASSWORD,
    })) as { id: string };
    const team = (await admin('POST', '/api/v1/teams', { name: 'Service desk', memberIds: [] })) as {
      id: string;
    };
    const open = async (title: string) =>
      (await admin('POST', '/api/v1/tickets', {
        type: 'incident',
        title,
        requesterId: rita.id,
        teamId: team.id,
      })) as { id: string };
    for (const title of ['Printer jam', 'VPN drops', 'Mail bounces', 'Screen flickers']) await open(title);
    const done = await open('Password reset');
    await admin('POST', `/api/v1/tickets/${done.id}/transition`, { status: 'in_progress' });
    await admin('POST', `/api/v1/tickets/${done.id}/transition`, { status: 'resolved' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** The figure of the first card named `name`, and the count it stands for. */
  const figure = async (page: Page, name: string) => {
    const link = page.getByRole('region', { name, exact: true }).first().locator('a.kpi-figure');
    await link.waitFor();
    return { link, count: Number(await link.getAttribute('data-kpi-count')) };
  };

  it('opens the exact list behind a number, on a desktop and on a phone', async () => {
    const desktop = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(desktop.page);
    try {
      const page = desktop.page;
      await signIn(page, server.url, mia.email, PASSWORD);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboards' }).click();
      await page.getByRole('heading', { name: 'Service desk', level: 1 }).waitFor();
      const backlog = await figure(page, 'Backlog');
      expect(backlog.count).toBe(4);
      expect(await backlog.link.textContent()).toBe('4');
      await backlog.link.click();
      await page.getByRole('heading', { name: 'Backlog', level: 1 }).waitFor();
      const total = page.getByTestId('kpi-total');
      await total.waitFor();
      expect(Number(await total.getAttribute('data-count'))).toBe(4);
      const table = page.getByRole('table', { name: 'Backlog' });
      await table
        .getByRole('link', { name: /^INC-\d+$/ })
        .first()
        .waitFor();
      expect(await table.getByRole('row').count()).toBe(1 + 4);
      await page.goBack();
      // a bar of the backlog chart opens the list of its day, with the count its label gives
      const bar = page.getByRole('region', { name: 'Backlog', exact: true }).nth(1).locator('svg a').last();
      const label = (await bar.getAttribute('aria-label')) ?? '';
      expect(label).toMatch(/\(4 counted\)$/);
      await bar.click();
      await total.waitFor();
      expect(Number(await total.getAttribute('data-count'))).toBe(4);
      expect(errors).toEqual([]);
    } finally {
      await desktop.close();
    }

    const phone = await openBrowser({ width: 390, height: 844 });
    const phoneErrors = watchPage(phone.page);
    try {
      const page = phone.page;
      await signIn(page, server.url, mia.email, PASSWORD);
      await page.goto(`${server.url}/dashboards`);
      await page.getByRole('heading', { name: 'Service desk', level: 1 }).waitFor();
      const resolved = await figure(page, 'Mean time to resolve');
      expect(resolved.count).toBe(1);
      await figure(page, 'Backlog');
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await resolved.link.click();
      const total = page.getByTestId('kpi-total');
      await total.waitFor();
      expect(Number(await total.getAttribute('data-count'))).toBe(1);
      await page
        .getByRole('link', { name: /^INC-\d+$/ })
        .first()
        .waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(phoneErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
