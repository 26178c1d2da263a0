// Custom fields and templates in a real browser (issue 27): an admin defines a field and a template under
// Settings, opens a ticket from the template with the field set, and filters the queue by the field's value.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

describe.skipIf(!enabled)('custom fields and ticket templates', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it('defines a field and a template, opens a ticket from it, and filters the queue by the field', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/settings/fields`);
      await page.getByRole('heading', { name: 'Custom fields', level: 1 }).waitFor();
      const addField = page.getByRole('form', { name: 'Add a field' });
      await addField.getByLabel('Key').fill('asset_tag');
      await addField.getByLabel('Label').fill('Asset tag');
      await addField.getByRole('button', { name: 'Add a field' }).click();
      await page.getByRole('list', { name: 'Fields' }).getByText('Asset tag', { exact: true }).waitFor();

      await page.goto(`${server.url}/settings/templates`);
      await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
      const addTemplate = page.getByRole('form', { name: 'Add a template' });
      await addTemplate.getByLabel('Name').fill('Printer check');
      await addTemplate.getByLabel('Ticket title').fill('Monthly printer check');
      await addTemplate.getByLabel('Asset tag').fill('PR-77');
      await addTemplate.getByRole('button', { name: 'Add a template' }).click();
      await page
        .getByRole('list', { name: 'Templates' })
        .getByText('Printer check', { exact: true })
        .waitFor();

      await page.goto(`${server.url}/portal/new`);
      const form = page.getByRole('form', { name: 'New ticket' });
      await form.getByLabel('Start from a template').selectOption({ label: 'Printer check' });
      expect(await form.getByLabel('Asset tag').inputValue()).toBe('PR-77');
      await form.getByRole('button', { name: 'Send' }).click();
      await page.waitForURL(/\/portal\/tickets\//);

      await page.goto(`${server.url}/tickets`);
      const table = page.getByRole('table', { name: 'Tickets' });
      await page.getByLabel('Custom field').selectOption({ label: 'Asset tag' });
      await page.getByLabel('Value').fill('PR-77');
      await table.getByRole('row').filter({ hasText: 'Monthly printer check' }).waitFor();
      await page.getByLabel('Value').fill('PR-78');
      await table
        .getByRole('row')
        .filter({ hasText: 'Monthly printer check' })
        .waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
