// The inventory in a real browser against a real server: an agent creates items (a custom field's error shown
// beside it), relates them, follows the impact graph, edits an item (and a stale edit is refused), reads the
// history, sees licence over-use, and imports a CSV after a dry run that shows a row error. An admin makes an
// enrolment token, sees an enrolled agent and revokes it, and adds a class with a custom field. A requester
// is not told the inventory exists.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Api = Awaited<ReturnType<typeof apiAs>>;

describe.skipIf(!enabled)('inventory', () => {
  let server: Server;
  let shots: string;
  let admin: Api;
  const agent = { email: 'ivy@example.com', name: 'Ivy Inventory' };
  const requester = { email: 'rob@example.com', name: 'Rob Requester' };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', { ...agent, role: 'agent', password: PASSWORD });
    await admin('POST', '/api/v1/users', { ...requester, role: 'requester', password: PASSWORD });
    const item = async (key: string, body: Record<string, unknown>) => {
      ids[key] = ((await admin('POST', '/api/v1/cis', body)) as { id: string }).id;
    };
    await item('db', { classKey: 'server', name: 'db-01', assetTag: 'SRV-1', status: 'deployed' });
    await item('payroll', { classKey: 'service', name: 'Payroll' });
    await item('licence', {
      classKey: 'licence',
      name: 'Acme Office licence',
      custom: { product: 'Acme Office', versions: '2.x', seats: 2 },
    });
    for (const n of [1, 2, 3])
      await item(`office${n}`, {
        classKey: 'software_installation',
        name: `Acme Office on pc-${n}`,
        custom: { product: 'Acme Office', version: '2.1' },
      });
    await item('zip', {
      classKey: 'software_installation',
      name: 'Zip Tool on pc-1',
      custom: { product: 'Zip Tool', version: '9' },
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('an agent creates and relates items, follows the impact graph, edits one and reads its history', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
      await page.getByRole('heading', { name: 'Inventory', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Items' });
      await table.getByRole('link', { name: 'db-01' }).waitFor();
      // filters and search narrow the list
      await page.getByLabel('Kind').selectOption({ label: 'Licence' });
      await table.getByRole('link', { name: 'db-01' }).waitFor({ state: 'detached' });
      await table.getByRole('link', { name: 'Acme Office licence' }).waitFor();
      await page.getByLabel('Kind').selectOption({ label: 'Any kind' });
      await page.getByLabel('Search').fill('SRV-1');
      await table.getByRole('link', { name: 'db-01' }).waitFor();
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      await page.screenshot({ path: join(shots, 'cmdb-1-inventory.png'), fullPage: true });

      // a new licence: its custom fields by type, and the server's message beside a bad number
      await page.getByRole('link', { name: 'New item' }).click();
      await page.getByRole('heading', { name: 'New item', level: 1 }).waitFor();
      await page.getByLabel('Class').selectOption({ label: 'Licence' });
      await page.getByLabel('Seats (required)').fill('many');
      await page.getByLabel('Product (required)').fill('Zip Tool');
      await page.getByLabel('Name').fill('Zip licence');
      await page.getByRole('button', { name: 'Create item' }).click();
      await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
      expect(await page.getByLabel('Seats (required)').getAttribute('aria-invalid')).toBe('true');
      await page.getByText('Must be a number').waitFor();
      await page.screenshot({ path: join(shots, 'cmdb-2-new-item-error.png'), fullPage: true });
      // a server instead: the class's fields go, the standard ones stay
      await page.getByLabel('Class').selectOption({ label: 'Server' });
      expect(await page.getByLabel('Seats (required)').count()).toBe(0);
      await page.getByLabel('Name').fill('app-01');
      await page.getByLabel('Asset tag').fill('SRV-2');
      await page.getByRole('button', { name: 'Create item' }).click();
      await page.waitForURL('**/inventory/*');
      await page.getByRole('heading', { name: 'app-01', level: 1 }).waitFor();
      await page.getByRole('status').filter({ hasText: 'app-01 was added.' }).waitFor();
      ids.app = page.url().split('/').at(-1) ?? '';

      // app-01 depends on db-01, found by a search
      const rels = page.getByRole('region', { name: 'Relationships' });
      await rels.getByRole('button', { name: 'Add' }).click();
      await rels.getByLabel('This item…').selectOption({ label: 'depends on' });
      await rels.getByLabel('Search').fill('db-0');
      await rels.getByRole('button', { name: 'Add: this item depends on db-01' }).click();
      await rels.getByRole('list', { name: 'Relationships' }).getByRole('link', { name: 'db-01' }).waitFor();
      // a relationship the rules refuse: the server's reason is shown
      await rels.getByLabel('This item…').selectOption({ label: 'is installed on' });
      await rels.getByLabel('Search').fill('Payroll');
      await rels.getByRole('button', { name: 'Add: this item is installed on Payroll' }).click();
      await rels.getByRole('alert').filter({ hasText: 'cannot be the source of installed_on' }).waitFor();
      await admin('POST', `/api/v1/cis/${ids.payroll}/relationships`, { type: 'runs_on', toId: ids.app });

      // db-01's dependents: app-01, then Payroll, drawn in columns; a node opens its item
      await rels.getByRole('link', { name: 'db-01' }).click();
      await page.getByRole('heading', { name: 'db-01', level: 1 }).waitFor();
      const impact = page.getByRole('region', { name: 'Impact analysis' });
      const nodes = impact.locator('svg.impact-graph a.graph-node');
      await nodes.nth(2).waitFor();
      expect(await nodes.count()).toBe(3);
      expect(await impact.locator('a.graph-node.is-root').getAttribute('data-node-id')).toBe(ids.db);
      expect(await impact.locator('.graph-edge').count()).toBe(2);
      await impact.locator('.graph-edge text', { hasText: 'runs on' }).waitFor();
      // depth 1 stops at app-01; "what it relies on" finds nothing for db-01
      await impact.getByLabel('Depth').selectOption('1');
      await impact.locator(`a.graph-node[data-node-id="${ids.payroll}"]`).waitFor({ state: 'detached' });
      expect(await nodes.count()).toBe(2);
      await impact.getByLabel('What it relies on').check();
      await impact.getByText('This item relies on nothing recorded.').waitFor();
      await impact.getByLabel('Affected if it fails').check();
      await impact.getByLabel('Depth').selectOption('3');
      await nodes.nth(2).waitFor();
      await impact.getByText('2 related items as a list').click();
      await impact
        .getByRole('list', { name: 'Items in the impact graph' })
        .getByRole('link', { name: 'Payroll' })
        .waitFor();
      await page.screenshot({ path: join(shots, 'cmdb-3-impact.png'), fullPage: true });
      await impact.locator(`a.graph-node[data-node-id="${ids.payroll}"]`).click();
      await page.getByRole('heading', { name: 'Payroll', level: 1 }).waitFor();
      // from Payroll, both directions reach db-01 two steps away
      await page.getByRole('region', { name: 'Impact analysis' }).getByLabel('Both').check();
      await page.locator(`a.graph-node[data-node-id="${ids.db}"]`).waitFor();

      // an edit is saved under the ETag; the history says what changed
      await page.goto(`${server.url}/inventory/${ids.app}`);
      const details = page.getByRole('region', { name: 'Details' });
      await details.getByRole('button', { name: 'Edit' }).click();
      await details.getByLabel('Lifecycle status').selectOption({ label: 'Deployed' });
      await details.getByLabel('Manufacturer').fill('Dell');
      await details.getByRole('button', { name: 'Save changes' }).click();
      await details.getByText('Changes saved.').waitFor();
      await page.locator('.meta').getByText('Deployed').waitFor();
      const history = page.getByRole('list', { name: 'History' });
      const change = history.getByRole('listitem').filter({ hasText: 'manufacturer from empty to “Dell”' });
      await change.waitFor();
      expect(await change.textContent()).toContain('status from In stock to Deployed');
      expect(await change.textContent()).toContain(agent.name);
      await history.getByRole('listitem').filter({ hasText: 'added “this item depends on db-01”' }).waitFor();
      await history.getByRole('listitem').filter({ hasText: 'created the item' }).waitFor();

      // someone else saves first: the edit is refused with the stale alert, Reload shows their change
      await details.getByRole('button', { name: 'Edit' }).click();
      const current = (await admin('GET', `/api/v1/cis/${ids.app}`)) as { version: number };
      await admin(
        'PATCH',
        `/api/v1/cis/${ids.app}`,
        { model: 'R650' },
        { 'If-Match': `"v${current.version}"` },
      );
      await details.getByLabel('Serial number').fill('XYZ-1');
      await details.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Someone else changed this item meanwhile').waitFor();
      await page.screenshot({ path: join(shots, 'cmdb-4-stale.png'), fullPage: true });
      await page.getByRole('button', { name: 'Reload' }).click();
      await details.getByText('R650').waitFor();
      expect(await page.getByText('Someone else changed this item meanwhile').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an agent sees licence over-use, and imports a CSV after a dry run with a row error', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.goto(`${server.url}/inventory`);
      await page.getByRole('link', { name: 'Licences' }).click();
      await page.getByRole('heading', { name: 'Licence compliance', level: 1 }).waitFor();
      const row = page
        .getByRole('table', { name: 'Licences' })
        .getByRole('row')
        .filter({ hasText: 'Acme Office licence' });
      await row.getByText('Over by 1').waitFor();
      expect(await row.getByRole('cell').allTextContents()).toEqual([
        'Acme Office licence',
        'Acme Office',
        '2.x',
        '2',
        '3',
        'Over by 1',
      ]);
      await page.getByRole('region', { name: 'Licences' }).getByText('1 over-used').waitFor();
      await page
        .getByRole('table', { name: 'Unlicensed software' })
        .getByRole('row')
        .filter({ hasText: 'zip tool' })
        .waitFor();
      await page.screenshot({ path: join(shots, 'cmdb-5-licences.png'), fullPage: true });

      await page.goto(`${server.url}/inventory`);
      await page.getByRole('link', { name: 'Import / export' }).click();
      await page.getByRole('heading', { name: 'Import and export', level: 1 }).waitFor();
      // the export is a plain download of the items
      const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
      const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href ?? '');
      expect(csv.split('\n')[0]).toContain('class,asset_tag,name');
      expect(csv).toContain('db-01');

      const file = page.getByLabel('CSV file');
      const bad = 'class,asset_tag,name,status\nserver,SRV-10,web-01,deployed\nserver,SRV-11,web-02,broken\n';
      await file.setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await page.getByRole('button', { name: 'Preview' }).click();
      const problems = page.getByRole('table', { name: 'Row problems' });
      await problems.waitFor();
      const cells = await problems.getByRole('row').nth(1).getByRole('cell').allTextContents();
      expect(cells.slice(0, 2)).toEqual(['3', 'status']);
      expect(cells[2]).not.toBe('');
      expect(await page.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
      await page.screenshot({ path: join(shots, 'cmdb-6-csv-error.png'), fullPage: true });

      const good =
        'class,asset_tag,name,status\nserver,SRV-10,web-01,deployed\nserver,SRV-11,web-02,in_stock\n';
      await file.setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
      await page.getByRole('button', { name: 'Preview' }).click();
      const rows = page.getByRole('table', { name: 'Rows' });
      await rows.getByRole('row').filter({ hasText: 'web-02' }).waitFor();
      expect(await rows.getByRole('row').filter({ hasText: 'Create' }).count()).toBe(2);
      // a dry run wrote nothing
      expect(((await admin('GET', '/api/v1/cis?q=web-0')) as { items: unknown[] }).items).toHaveLength(0);
      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByText('2 created, 0 updated, 0 unchanged.').waitFor();
      expect(((await admin('GET', '/api/v1/cis?q=web-0')) as { items: unknown[] }).items).toHaveLength(2);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an admin makes an enrolment token, revokes an enrolled agent, and adds a class', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/inventory`);
      await page.getByRole('link', { name: 'Agents' }).click();
      await page.getByRole('heading', { name: 'Discovery agents', level: 1 }).waitFor();
      await page.getByText('No machine is enrolled yet.').waitFor();
      await page.getByLabel('Note').fill('office laptops');
      await page.getByRole('button', { name: 'Create enrolment token' }).click();
      const command = (await page.getByLabel('Enrolment command').textContent()) ?? '';
      const m = /^steward agent enrol --server (\S+) --token (\S+)$/.exec(command);
      expect(m?.[1]).toBe(server.url);
      await page.screenshot({ path: join(shots, 'cmdb-7-agents.png'), fullPage: true });

      // a machine enrols with it and shows in the list; revoking takes two clicks
      const enrolled = await fetch(`${server.url}/api/v1/agents/enrol`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ enrolmentToken: m?.[2], hostname: 'pc-42', systemUuid: 'uuid-42' }),
      });
      expect(enrolled.status).toBe(201);
      await page.getByRole('button', { name: 'I have stored it' }).click();
      await page.reload();
      const agentRow = page
        .getByRole('table', { name: 'Agents' })
        .getByRole('row')
        .filter({ hasText: 'pc-42' });
      await agentRow.getByText('Active').waitFor();
      await agentRow.getByText('Never').waitFor();
      await agentRow.getByRole('button', { name: 'Revoke' }).click();
      await agentRow.getByRole('button', { name: 'Confirm: revoke pc-42' }).click();
      await agentRow.getByText('Revoked').waitFor();

      // a class with an enum field, which the new-item form then offers as a select
      await page.goto(`${server.url}/inventory/classes`);
      await page.getByRole('heading', { name: 'Item classes', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'New class' }).click();
      const form = page.getByRole('form', { name: 'New class' });
      await form.getByLabel('Name').first().fill('Phone');
      await form.getByLabel('Key').first().fill('phone');
      await form.getByLabel('Kind').selectOption({ label: 'Peripheral' });
      await form.getByRole('button', { name: 'Add field' }).click();
      const field = form.getByRole('group', { name: 'Field 1' });
      await field.getByLabel('Key').fill('carrier');
      await field.getByLabel('Label').fill('Carrier');
      await field.getByLabel('Type').selectOption({ label: 'One of a list' });
      await field.getByLabel('Options').fill('Telco, Other');
      await form.getByRole('button', { name: 'Create class' }).click();
      await page.getByText('The class Phone was created.').waitFor();
      await page
        .getByRole('table', { name: 'Classes' })
        .getByRole('row')
        .filter({ hasText: 'Phone' })
        .getByText('Carrier')
        .waitFor();
      await page.screenshot({ path: join(shots, 'cmdb-8-classes.png'), fullPage: true });
      await page.goto(`${server.url}/inventory/new?class=phone`);
      await page.getByLabel('Carrier').waitFor();
      expect(await page.getByLabel('Carrier').locator('option').allTextContents()).toEqual([
        '—',
        'Telco',
        'Other',
      ]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('on a phone the item page and the inventory fit the screen', async () => {
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.goto(`${server.url}/inventory/${ids.db}`);
      await page.getByRole('heading', { name: 'db-01', level: 1 }).waitFor();
      await page.locator('svg.impact-graph a.graph-node').nth(1).waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(shots, 'cmdb-9-phone-item.png'), fullPage: true });
      await page.goto(`${server.url}/inventory`);
      await page.getByRole('table', { name: 'Items' }).getByRole('link', { name: 'db-01' }).waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(shots, 'cmdb-10-phone-inventory.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a requester has no inventory navigation and finds no item', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, requester.email, PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'Home',
        'Help & requests',
        'Knowledge',
        'Catalogue',
        'Backed-up files',
        'Notifications',
        'API tokens',
        'My account',
      ]);
      await page.goto(`${server.url}/inventory/${ids.db}`);
      await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
      expect(await page.getByText('db-01').count()).toBe(0);
      const status = await page.evaluate(async (id) => (await fetch(`/api/v1/cis/${id}`)).status, ids.db);
      expect(status).toBe(404);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
