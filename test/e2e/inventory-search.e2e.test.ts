// A computer with many programs and the global search box, in a real browser against a real server: the
// computer's Software tab pages and searches its 120 installations; its impact graph folds them into one
// "120 software installations" box that opens a page at a time, also on a 390 px phone without sideways
// scrolling; the header's search box takes an agent straight to a ticket by its number and finds people and
// items, and a requester finds only their own tickets. The audit page names people, teams and tickets and
// shows no internal field name; an agent manages macros on their own page; an admin sets a policy's breach
// actions.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

const PROGRAMS = 120;
const program = (i: number) => `prog-${String(i).padStart(3, '0')}`;
/** An installation's name: the program and its version. */
const installed = (i: number) => `${program(i)} 1.${i}`;

describe.skipIf(!enabled)('inventory at scale and the global search box', () => {
  let server: Server;
  let shots: string;
  let computerId = '';
  let teamId = '';
  let agentId = '';
  const agent = { email: 'ivy@example.com', name: 'Ivy Inventory' };
  const requester = { email: 'rob@example.com', name: 'Rob Requester' };
  const other = { email: 'ola@example.com', name: 'Ola Other' };
  const tickets: Record<string, { id: string; key: string }> = {};

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    teamId = (await admin('POST', '/api/v1/teams', { name: 'Field Support' })).id;
    agentId = (
      await admin('POST', '/api/v1/users', { ...agent, role: 'agent', password: PASSWORD, teamIds: [teamId] })
    ).id;
    for (const u of [requester, other])
      await admin('POST', '/api/v1/users', { ...u, role: 'requester', password: PASSWORD });
    // a machine reports itself with 120 programs
    const { token: enrolment } = await admin('POST', '/api/v1/agents/enrolment-tokens', {
      uses: 1,
      note: 'e2e',
    });
    const enrolled = await fetch(`${server.url}/api/v1/agents/enrol`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enrolmentToken: enrolment, hostname: 'pc-finance-7', systemUuid: 'uuid-fin-7' }),
    });
    const { token } = (await enrolled.json()) as { token: string };
    const report = await fetch(`${server.url}/api/v1/agents/report`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        hostname: 'pc-finance-7',
        system: { manufacturer: 'Acme', model: 'T1', serial: 'FIN-7', uuid: 'uuid-fin-7', kind: 'desktop' },
        cpu: { manufacturer: 'Acme', brand: 'Acme CPU', cores: 4 },
        memoryBytes: 8e9,
        disks: [],
        network: [],
        os: { platform: 'linux', distro: 'Debian', release: '12', kernel: '6.1', arch: 'x64' },
        software: Array.from({ length: PROGRAMS }, (_, i) => ({ name: program(i), version: `1.${i}` })),
        peripherals: [],
      }),
    });
    expect(report.status).toBe(200);
    computerId = ((await report.json()) as { ciId: string }).ciId;
    const asRequester = await apiAs(server.url, requester.email, PASSWORD);
    const asOther = await apiAs(server.url, other.email, PASSWORD);
    tickets.mine = await asRequester('POST', '/api/v1/tickets', {
      type: 'incident',
      title: 'Monitor flickers',
    });
    tickets.theirs = await asOther('POST', '/api/v1/tickets', { type: 'incident', title: 'Monitor is dark' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("pages and searches a computer's software, and folds it in the impact graph", async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.goto(`${server.url}/inventory/${computerId}`);
      await page.getByRole('heading', { name: 'pc-finance-7', level: 1 }).waitFor();
      // the impact graph: one folded box for the 120 installations, opened a page at a time
      const impact = page.getByRole('region', { name: 'Impact analysis' });
      const group = impact.getByRole('button', { name: /^120 software installations: show 20 more$/ });
      await group.waitFor();
      expect(await impact.locator('a.graph-node').count()).toBe(1);
      await group.click();
      await impact.getByRole('button', { name: /^100 more software installations: show 20 more$/ }).waitFor();
      await expect.poll(() => impact.locator('a.graph-node').count()).toBe(21);
      await impact.locator('a.graph-node', { hasText: program(0) }).waitFor();
      await page.screenshot({ path: join(shots, 'inventory-search-1-graph.png'), fullPage: true });
      await impact.getByRole('button', { name: 'Fold groups again' }).click();
      await expect.poll(() => impact.locator('a.graph-node').count()).toBe(1);

      // the Software tab: 50 at a time, then more, and a search by name
      await page
        .getByRole('navigation', { name: 'Item sections' })
        .getByRole('link', { name: 'Software' })
        .click();
      const table = page.getByRole('table', { name: 'Installed software' });
      await table.getByRole('link', { name: installed(0), exact: true }).waitFor();
      expect(await table.getByRole('row').count()).toBe(51);
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => table.getByRole('row').count()).toBe(101);
      await page.getByRole('searchbox', { name: 'Search' }).fill(program(117));
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      await table.getByRole('link', { name: installed(117), exact: true }).waitFor();
      await page.screenshot({ path: join(shots, 'inventory-search-2-software.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('keeps the impact graph usable on a phone', async () => {
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.goto(`${server.url}/inventory/${computerId}`);
      const impact = page.getByRole('region', { name: 'Impact analysis' });
      const group = impact.getByRole('button', { name: /^120 software installations/ });
      await group.scrollIntoViewIfNeeded();
      await group.click();
      await expect.poll(() => impact.locator('a.graph-node').count()).toBe(21);
      // the drawing scrolls inside its panel; the page itself never scrolls sideways
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      const box = await impact.locator('.graph-scroll').boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(390);
      await impact.screenshot({ path: join(shots, 'inventory-search-3-phone-graph.png') });
      await impact.locator('a.graph-node', { hasText: program(3) }).click();
      await page.getByRole('heading', { name: program(3), level: 1 }).waitFor();
      await page.screenshot({ path: join(shots, 'inventory-search-4-phone-item.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('takes an agent to a ticket by its number, and finds people and items', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      const box = page.getByRole('searchbox', { name: 'Find tickets, people and items' });
      await box.fill(tickets.theirs!.key);
      await box.press('Enter');
      await page.waitForURL(`**/tickets/${tickets.theirs!.id}`);
      await page.getByRole('heading', { name: /Monitor is dark/ }).waitFor();
      await box.fill('Requester');
      await box.press('Enter');
      await page.getByRole('region', { name: 'People' }).getByText('Rob Requester').waitFor();
      await box.fill('pc-finance');
      await box.press('Enter');
      await page.getByRole('region', { name: 'Items' }).getByRole('link', { name: 'pc-finance-7' }).click();
      await page.getByRole('heading', { name: 'pc-finance-7', level: 1 }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the audit log in words people know: names, ticket numbers, field names', async () => {
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const t = await admin('GET', `/api/v1/tickets/${tickets.theirs!.id}`);
    await admin(
      'PATCH',
      `/api/v1/tickets/${t.id}`,
      { teamId, assigneeId: agentId },
      { 'if-match': `"v${t.version}"` },
    );
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/audit`);
      const table = page.getByRole('table', { name: 'Audit entries' });
      const row = table
        .getByRole('row')
        .filter({ hasText: `Ticket ${tickets.theirs!.key}` })
        .first();
      await row.waitFor();
      await row.getByRole('button', { name: 'Changes' }).click();
      const diff = page.getByRole('table', { name: 'Changes' });
      await diff.getByRole('row').filter({ hasText: 'Assignee' }).getByText(agent.name).waitFor();
      await diff.getByRole('row').filter({ hasText: 'Team' }).getByText('Field Support').waitFor();
      await page.screenshot({ path: join(shots, 'inventory-search-5-audit.png'), fullPage: true });
      const text = (await page.locator('main').textContent()) ?? '';
      for (const internal of [
        'assigneeId',
        'assignedBy',
        'teamId',
        'updatedAt',
        'installed_on',
        agentId,
        t.id,
      ])
        expect(text).not.toContain(internal);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lets an agent create, change and delete a macro on its own page, and use it on a ticket', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.goto(`${server.url}/tickets`);
      await page.getByRole('link', { name: 'Macros' }).click();
      await page.getByRole('heading', { name: 'Macros', level: 1 }).waitFor();
      await page.getByText('No macros yet.').waitFor();
      await page.getByRole('button', { name: 'New macro' }).click();
      const form = page.getByRole('form', { name: 'New macro' });
      // an agent's macros are personal: no team to share with
      expect(await form.getByLabel('Shared with').count()).toBe(0);
      await form.getByLabel('Name').fill('Screen reseated');
      await form.getByLabel('Reply').fill('I reseated the cable; the screen works again.');
      await form.getByLabel('Set status').selectOption({ label: 'Resolved' });
      await form.getByRole('button', { name: 'Create macro' }).click();
      const item = page.getByRole('listitem', { name: 'Screen reseated' });
      await item.getByText('Status: Resolved').waitFor();
      await item.getByText('Personal').waitFor();
      // changed: a new name and a priority
      await item.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('form', { name: 'Change Screen reseated' });
      await edit.getByLabel('Name').fill('Monitor cable reseated');
      await edit.getByLabel('Set priority').selectOption({ index: 2 });
      await edit.getByRole('button', { name: 'Save macro' }).click();
      const changed = page.getByRole('listitem', { name: 'Monitor cable reseated' });
      await changed.getByText(/Status: Resolved · Priority: P\d/).waitFor();
      await page.screenshot({ path: join(shots, 'inventory-search-6-macros.png'), fullPage: true });
      // the ticket page offers it
      await page.goto(`${server.url}/tickets/${tickets.mine!.id}`);
      await page
        .getByLabel('Macro')
        .locator('option', { hasText: 'Monitor cable reseated' })
        .waitFor({ state: 'attached' });
      // and it goes again in two clicks
      await page.goto(`${server.url}/tickets/macros`);
      await changed.getByRole('button', { name: 'Delete' }).click();
      await changed.getByRole('button', { name: 'Confirm: delete Monitor cable reseated' }).click();
      await page.getByText('No macros yet.').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lets an admin choose what an SLA policy does at a breach', async () => {
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const cal = await admin('POST', '/api/v1/sla/calendars', {
      name: 'Office hours',
      timezone: 'Europe/Berlin',
      week: [[], [[480, 1020]], [[480, 1020]], [[480, 1020]], [[480, 1020]], [[480, 1020]], []],
    });
    const policy = await admin('POST', '/api/v1/sla/policies', {
      name: 'Incident SLA',
      ticketType: 'incident',
      calendarId: cal.id,
      targets: { '3': { firstResponseMinutes: 60, resolutionMinutes: 480 } },
    });
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/settings/sla`);
      const row = page
        .getByRole('list', { name: 'Policies' })
        .getByRole('listitem')
        .filter({ hasText: 'Incident SLA' });
      await row.getByRole('button', { name: 'Edit' }).click();
      const form = page.getByRole('form', { name: 'Edit Incident SLA' });
      await form.getByLabel('Add an action at the breach').selectOption({ label: 'Notify the managers' });
      await form.getByRole('group', { name: 'At the breach' }).getByRole('button', { name: 'Add' }).click();
      await form
        .getByLabel('Add an action at the breach')
        .selectOption({ label: 'Hand the ticket to Field Support' });
      await form.getByRole('group', { name: 'At the breach' }).getByRole('button', { name: 'Add' }).click();
      await form.getByRole('listitem').filter({ hasText: 'Hand the ticket to Field Support' }).waitFor();
      await form.getByRole('button', { name: 'Save policy' }).click();
      await form.waitFor({ state: 'detached' });
      await expect
        .poll(async () => (await admin('GET', `/api/v1/sla/policies/${policy.id}`)).breachActions)
        .toEqual([
          { kind: 'notify', to: ['managers'] },
          { kind: 'reassign', teamId },
        ]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows a requester only their own tickets', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, requester.email, PASSWORD);
      const box = page.getByRole('searchbox', { name: 'Find tickets, people and items' });
      await box.fill('monitor');
      await box.press('Enter');
      const found = page.getByRole('region', { name: 'Tickets' });
      await found.getByRole('link', { name: /Monitor flickers/ }).waitFor();
      expect(await found.getByText('Monitor is dark').count()).toBe(0);
      expect(await page.getByRole('region', { name: 'People' }).count()).toBe(0);
      // another requester's ticket number is not a way in
      await box.fill(tickets.theirs!.key);
      await box.press('Enter');
      await page.getByRole('heading', { name: `Search results for “${tickets.theirs!.key}”` }).waitFor();
      await found.getByText('No tickets match.').waitFor();
      expect(await page.content()).not.toContain('Monitor is dark');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
