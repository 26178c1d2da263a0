// The service desk in a real browser against a real server: a requester opens a ticket in the portal; an agent
// of the ticket's team finds it in the queue, takes it, replies, adds an internal note and resolves it; the
// requester sees the reply but never the note, confirms and rates it; the agent sees the rating. Then the
// console's saved views, bulk update and stale-edit handling.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('service desk', () => {
  let server: Server;
  let shots: string;
  const agent = { email: 'ada@example.com', name: 'Ada Agent' };
  const requester = { email: 'rita@example.com', name: 'Rita Requester' };
  let ticketPath = '';
  let ticketKey = '';

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const team = await admin('POST', '/api/v1/teams', { name: 'Service Desk' });
    await admin('POST', '/api/v1/users', { ...agent, role: 'agent', password: PASSWORD, teamIds: [team.id] });
    await admin('POST', '/api/v1/users', { ...requester, role: 'requester', password: PASSWORD });
    const hardware = await admin('POST', '/api/v1/categories', { name: 'Hardware' });
    await admin('POST', '/api/v1/categories', { name: 'Printers', parentId: hardware.id });
    await admin('POST', '/api/v1/categories', { name: 'Software' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('a requester opens a ticket in the portal', async () => {
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
      await nav.getByRole('link', { name: 'Help & requests' }).click();
      await page.getByRole('heading', { name: 'Help & requests', level: 1 }).waitFor();
      await page.getByText('You have not opened any tickets yet.').waitFor();

      await page.getByRole('link', { name: 'Report a problem' }).click();
      await page.getByRole('heading', { name: 'Report a problem', level: 1 }).waitFor();
      expect(await page.getByLabel('Something is broken').isChecked()).toBe(true);
      // an empty title: the server's message beside the field, nothing created
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('alert').filter({ hasText: 'Your ticket was not sent' }).waitFor();
      expect(await page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Title').fill('Printer on floor 3 jams every sheet');
      await page
        .getByLabel('Description', { exact: true })
        .fill('**Paper jam** on every job.\n\n<img src=x onerror=alert(1)> [docs](javascript:alert(2))');
      // the preview renders Markdown, and the author's HTML stays text
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByRole('region', { name: 'Description preview' });
      await preview.locator('strong', { hasText: 'Paper jam' }).waitFor();
      expect(await preview.locator('img').count()).toBe(0);
      expect(await preview.locator('a[href^="javascript"]').count()).toBe(0);
      await page.getByRole('button', { name: 'Write' }).click();
      await page.getByLabel('Category').selectOption({ label: '\u00a0\u00a0└ Printers' });
      await page
        .getByLabel('How many people are affected?')
        .selectOption({ label: 'My team or several people' });
      await page.getByLabel('How urgent is it?').selectOption({ label: 'Now, I cannot work' });
      await page.screenshot({ path: join(shots, 'desk-1-portal-form.png'), fullPage: true });
      await page.getByRole('button', { name: 'Send' }).click();

      await page.waitForURL('**/portal/tickets/*');
      const notice = page.getByRole('status').filter({ hasText: 'was opened' });
      await notice.waitFor();
      ticketKey = /(INC-\d+)/.exec((await notice.textContent()) ?? '')?.[1] ?? '';
      expect(ticketKey).toMatch(/^INC-\d+$/);
      ticketPath = new URL(page.url()).pathname.replace('/portal', '');
      await page
        .getByRole('heading', { name: `${ticketKey} · Printer on floor 3 jams every sheet` })
        .waitFor();
      await page.locator('.markdown strong', { hasText: 'Paper jam' }).waitFor();
      expect(await page.locator('main img').count()).toBe(0);

      // listed under "My tickets"
      await page.getByRole('link', { name: 'My tickets' }).click();
      const row = page
        .getByRole('table', { name: 'My tickets' })
        .getByRole('row')
        .filter({ hasText: ticketKey });
      await row.getByText('New').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an agent finds it, takes it, replies, notes and resolves it', async () => {
    expect(ticketKey).not.toBe('');
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
      await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Tickets' });
      await table.getByRole('row').filter({ hasText: ticketKey }).waitFor();

      // full-text search finds it by a word of its description; a word it lacks finds nothing
      await page.getByLabel('Search').fill('keyboard');
      await page.getByText('No tickets match these filters.').waitFor();
      await page.getByLabel('Search').fill('jam');
      await table.getByRole('row').filter({ hasText: ticketKey }).waitFor();
      await page.screenshot({ path: join(shots, 'desk-2-queue.png'), fullPage: true });
      await table.getByRole('link', { name: ticketKey }).click();

      await page.getByRole('heading', { name: new RegExp(`^${ticketKey}`) }).waitFor();
      const actions = page.getByRole('complementary', { name: 'Ticket actions' });
      // a new ticket offers only the moves the state machine allows from new
      const status = actions.getByRole('region', { name: 'Status' });
      expect(await status.getByRole('button').allTextContents()).toEqual(['Start work', 'Cancel ticket']);

      await actions.getByLabel('Team').selectOption({ label: 'Service Desk' });
      await page.getByRole('listitem').filter({ hasText: 'changed the team from' }).waitFor();
      await actions.getByRole('button', { name: 'Assign to me' }).click();
      await page.locator('.meta').getByText('Assigned').waitFor();
      expect(await actions.getByLabel('Assignee').inputValue()).not.toBe('');

      // the agent sharpens the title in place (sent with the ticket's ETag)
      await page.getByRole('region', { name: 'Description' }).getByRole('button', { name: 'Edit' }).click();
      await page.getByLabel('Title').fill('Printer 3-A jams every sheet');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('heading', { name: `${ticketKey} · Printer 3-A jams every sheet` }).waitFor();

      // a public reply, then an internal note: the note is set apart
      await page.getByLabel('Your reply').fill('We are sending a technician with a **new fuser**.');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.getByRole('article', { name: `Reply from ${agent.name}` }).waitFor();
      await page.getByLabel('Internal note').check();
      await page
        .getByLabel('Internal note (agents only)')
        .fill('Fuser part number FX-42, ordered from the vendor.');
      await page.getByRole('button', { name: 'Add internal note' }).click();
      const note = page.getByRole('article', { name: `Internal note from ${agent.name}` });
      await note.waitFor();
      expect(await note.getByText('Internal note').count()).toBe(1);

      await status.getByRole('button', { name: 'Resolve' }).click();
      await page.locator('.meta').getByText('Resolved').waitFor();
      expect(await status.getByRole('button').allTextContents()).toEqual(['Close', 'Reopen']);
      await page.screenshot({ path: join(shots, 'desk-3-agent-ticket.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('the requester sees the reply but not the note, confirms and rates it; the agent sees the rating', async () => {
    expect(ticketPath).not.toBe('');
    const { page, close } = await openBrowser({ width: 390, height: 844 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, requester.email, PASSWORD);
      await page.goto(`${server.url}/portal${ticketPath}`);
      await page.getByRole('heading', { name: new RegExp(`^${ticketKey}`) }).waitFor();
      await page
        .getByRole('article', { name: `Reply from ${agent.name}` })
        .getByText('new fuser')
        .waitFor();
      expect(await page.getByText('FX-42').count()).toBe(0);
      expect(await page.getByRole('article', { name: /^Internal note/ }).count()).toBe(0);
      // the agent console is not for requesters
      expect(await page.content()).not.toContain('FX-42');

      await page.getByRole('radio', { name: '5 stars' }).check();
      await page.getByLabel('Comment (optional)').fill('Fixed the same day, thank you!');
      await page.screenshot({ path: join(shots, 'desk-4-phone-confirm.png'), fullPage: true });
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
      await page.getByRole('button', { name: 'Yes, close the ticket' }).click();
      await page.getByRole('status').filter({ hasText: 'This ticket is closed' }).waitFor();
      await page.getByLabel('Rated 5 out of 5').waitFor();
      expect(await page.getByRole('button', { name: 'Send reply' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }

    const agentView = await openBrowser({ width: 1280, height: 900 });
    try {
      await signIn(agentView.page, server.url, agent.email, PASSWORD);
      await agentView.page.goto(`${server.url}${ticketPath}`);
      const satisfaction = agentView.page.getByRole('region', { name: 'Satisfaction' });
      await satisfaction.getByLabel('Rated 5 out of 5').waitFor();
      await satisfaction.getByText('Fixed the same day, thank you!').waitFor();
      await agentView.page.locator('.meta').getByText('Closed').waitFor();
      await agentView.page.screenshot({ path: join(shots, 'desk-5-agent-rating.png'), fullPage: true });
    } finally {
      await agentView.close();
    }
  });
  it('saves and picks views, bulk-updates a selection, asks for a pending reason, and refuses a stale edit', async () => {
    const asRequester = await apiAs(server.url, requester.email, PASSWORD);
    const titles = ['VPN drops every hour', 'VPN refuses my password', 'VPN is slow from home'];
    for (const title of titles) {
      await asRequester('POST', '/api/v1/tickets', {
        type: 'incident',
        title,
        description: 'The vpn again.',
      });
    }
    const { context, page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.goto(`${server.url}/tickets`);
      const table = page.getByRole('table', { name: 'Tickets' });
      const rows = table.locator('tbody tr');

      // at desktop widths every filter is shown, with no button to unfold them
      await page.getByRole('combobox', { name: 'Status', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'More filters' }).isVisible()).toBe(false);

      // filters, then saved as a view
      await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption({ label: 'Any status' });
      await expect.poll(() => rows.count()).toBe(4);
      await page.getByLabel('Search').fill('vpn');
      await expect.poll(() => rows.count()).toBe(3);
      await page.getByRole('status').filter({ hasText: '3 tickets match.' }).waitFor();
      await page.getByRole('button', { name: 'Save current filters…' }).click();
      await page.getByLabel('View name').fill('VPN trouble');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('button', { name: 'Delete view' }).waitFor();

      // a fresh page starts from the default filters; picking the view brings them back
      await page.reload();
      await table.getByRole('row').filter({ hasText: ticketKey }).waitFor({ state: 'detached' });
      expect(await page.getByLabel('Search').inputValue()).toBe('');
      await page.getByLabel('Saved view').selectOption({ label: 'VPN trouble' });
      await expect.poll(() => page.getByLabel('Search').inputValue()).toBe('vpn');
      expect(await page.getByRole('combobox', { name: 'Status', exact: true }).inputValue()).toBe('');
      await expect.poll(() => rows.count()).toBe(3);

      // bulk: all three assigned to me, then pending on the vendor, in two all-or-nothing updates
      await page.getByLabel('Select all shown').check();
      const bulk = page.getByRole('region', { name: 'Bulk update' });
      await bulk.getByText('3 selected').waitFor();
      // keyboard arrows in a select only prepare a change: nothing is applied until Apply, which counts
      const confirm = bulk.getByRole('group', { name: 'Confirm the bulk update' });
      await bulk.getByLabel('Set priority').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await confirm.getByText('Set the priority of 3 tickets to P0 · Major?').waitFor();
      await page.keyboard.press('ArrowDown');
      await confirm.getByText('Set the priority of 3 tickets to P1 · Critical?').waitFor();
      await new Promise((r) => setTimeout(r, 1000));
      expect(await rows.filter({ hasText: 'P1 · Critical' }).count()).toBe(0);
      expect(await rows.filter({ hasText: 'P0 · Major' }).count()).toBe(0);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(await bulk.getByLabel('Set priority').inputValue()).toBe('');
      await bulk.getByRole('button', { name: 'Assign to me' }).click();
      await confirm.getByText('Assign 3 tickets to you?').waitFor();
      await confirm.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => rows.filter({ hasText: agent.name }).count()).toBe(3);
      await page.getByLabel('Select all shown').check();
      await bulk.getByLabel('Move to status').selectOption('pending');
      await bulk.getByLabel('Selection waits for').selectOption('vendor');
      await confirm.getByText('Move 3 tickets to Pending (on vendor)?').waitFor();
      await page.screenshot({ path: join(shots, 'desk-6-bulk.png'), fullPage: true });
      await confirm.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => rows.filter({ hasText: 'Pending · on vendor' }).count()).toBe(3);
      expect(await page.getByRole('region', { name: 'Bulk update' }).count()).toBe(0);

      // the view can be deleted (two clicks)
      await page.getByRole('button', { name: 'Delete view' }).click();
      await page.getByRole('button', { name: 'Confirm delete' }).click();
      await page.getByRole('button', { name: 'Delete view' }).waitFor({ state: 'detached' });
      expect(await page.getByLabel('Saved view').locator('option').allTextContents()).toEqual([
        'Choose a view',
      ]);

      // on a ticket page: resume, then pending asks whom it waits for
      await table.getByRole('link', { name: titles[0] }).click();
      const status = page.getByRole('region', { name: 'Status' });
      await status.getByRole('button', { name: 'Resume work' }).click();
      await page.locator('.meta').getByText('In progress').waitFor();
      await status.getByRole('button', { name: 'Set pending…' }).click();
      await status.getByLabel('Waiting for').selectOption('requester');
      await status.getByRole('button', { name: 'Set pending', exact: true }).click();
      await page.locator('.meta').getByText('Pending · on requester').waitFor();

      // this tab has lost its live connection (so it does not hear of the next change), and a second tab
      // changes the priority first; this tab's edit is refused by the ticket's ETag and says so
      await page.route('**/api/v1/events', (r) => r.abort());
      await page.reload();
      await page.locator('.meta').getByText('Pending · on requester').waitFor();
      const other = await context.newPage();
      await other.goto(page.url());
      await other.getByLabel('Priority').selectOption('6');
      await other.locator('.meta').getByText('P0 · Major').waitFor();
      await page.getByLabel('Impact').selectOption('5');
      await page.getByText('Someone else changed this ticket meanwhile').waitFor();
      await page.screenshot({ path: join(shots, 'desk-7-stale.png'), fullPage: true });
      await page.getByRole('button', { name: 'Reload' }).click();
      await page.locator('.meta').getByText('P0 · Major').waitFor();
      expect(await page.getByText('Someone else changed this ticket meanwhile').count()).toBe(0);
      await page.getByLabel('Impact').selectOption('5');
      await page.getByRole('listitem').filter({ hasText: 'changed the impact from' }).waitFor();

      // on a phone the ticket page stacks its panels and the queue scrolls inside its table, not the page
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: 'Open menu' }).waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.goto(`${server.url}/tickets`);
      await page.getByRole('table', { name: 'Tickets' }).waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // the filters but search fold away behind a button
      expect(await page.getByLabel('Search').isVisible()).toBe(true);
      expect(await page.getByRole('combobox', { name: 'Status', exact: true }).isVisible()).toBe(false);
      await page.getByRole('button', { name: 'More filters' }).click();
      await page.getByRole('combobox', { name: 'Status', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Hide filters' }).waitFor();
      await page.screenshot({ path: join(shots, 'desk-8-phone-queue.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
  it('shares files (internal ones only with agents) and links an incident to its problem', async () => {
    const asRequester = await apiAs(server.url, requester.email, PASSWORD);
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const incident = await asRequester('POST', '/api/v1/tickets', {
      type: 'incident',
      title: 'Projector flickers',
    });
    const problem = await admin('POST', '/api/v1/tickets', {
      type: 'problem',
      title: 'Projector firmware bug',
    });
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 1),
    ]);
    const r = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(r.page);
    try {
      await signIn(r.page, server.url, requester.email, PASSWORD);
      await r.page.goto(`${server.url}/portal/tickets/${incident.id}`);
      await r.page
        .getByLabel('Add files')
        .setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: png });
      await r.page.getByRole('button', { name: 'Upload' }).click();
      await r.page
        .getByRole('list', { name: 'Attachments' })
        .getByRole('link', { name: 'screen.png' })
        .waitFor();
    } finally {
      await r.close();
    }
    const a = await openBrowser({ width: 1280, height: 900 });
    const agentErrors = watchPage(a.page);
    try {
      await signIn(a.page, server.url, agent.email, PASSWORD);
      await a.page.goto(`${server.url}/tickets/${incident.id}`);
      const files = a.page.getByRole('list', { name: 'Attachments' });
      await files.getByRole('link', { name: 'screen.png' }).waitFor();
      await a.page.getByLabel('Add files').setInputFiles({
        name: 'vendor-notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('case 4711'),
      });
      await a.page.getByLabel('Internal (agents only)').check();
      await a.page.getByRole('button', { name: 'Upload' }).click();
      await files.getByRole('link', { name: 'vendor-notes.txt' }).waitFor();
      await a.page.getByPlaceholder('Find a ticket to link').fill('firmware');
      await a.page.getByRole('button', { name: 'Caused by this problem' }).click();
      await a.page
        .getByRole('list', { name: 'Linked tickets' })
        .getByRole('link', { name: new RegExp(problem.key) })
        .waitFor();
      await a.page.screenshot({ path: join(shots, 'desk-9-files-and-links.png'), fullPage: true });
      expect(agentErrors).toEqual([]);
    } finally {
      await a.close();
    }
    const again = await openBrowser({ width: 1280, height: 900 });
    try {
      await signIn(again.page, server.url, requester.email, PASSWORD);
      await again.page.goto(`${server.url}/portal/tickets/${incident.id}`);
      await again.page
        .getByRole('list', { name: 'Attachments' })
        .getByRole('link', { name: 'screen.png' })
        .waitFor();
      expect(await again.page.getByText('vendor-notes.txt').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('lets a requester withdraw an open ticket, and keeps the console and other tickets out of reach', async () => {
    const asRequester = await apiAs(server.url, requester.email, PASSWORD);
    const mine = await asRequester('POST', '/api/v1/tickets', { type: 'request', title: 'A second monitor' });
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const theirs = await admin('POST', '/api/v1/tickets', {
      type: 'incident',
      title: 'Server room is too warm',
    });
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, requester.email, PASSWORD);
      await page.goto(`${server.url}/portal/tickets/${mine.id}`);
      await page.getByRole('heading', { name: `${mine.key} · A second monitor` }).waitFor();
      await page.getByRole('button', { name: 'Cancel my ticket' }).click();
      await page.getByRole('button', { name: 'Confirm: cancel my ticket' }).click();
      await page.locator('.meta').getByText('Cancelled').waitFor();
      expect(await page.getByRole('button', { name: 'Send reply' }).count()).toBe(0);

      // the agent console is not for requesters, and another requester's ticket does not exist for them
      await page.goto(`${server.url}/tickets`);
      await page.getByRole('heading', { name: 'Not available' }).waitFor();
      await page.goto(`${server.url}/portal/tickets/${theirs.id}`);
      await page.getByRole('alert').filter({ hasText: 'This ticket does not exist' }).waitFor();
      expect(await page.content()).not.toContain('Server room is too warm');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
  it('shows SLA due times in the queue and on the ticket, and notifies the agent of an assignment', async () => {
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const cal = await admin('POST', '/api/v1/sla/calendars', {
      name: 'Office hours',
      timezone: 'Europe/Berlin',
      week: [[], [[480, 1020]], [[480, 1020]], [[480, 1020]], [[480, 1020]], [[480, 1020]], []],
    });
    await admin('POST', '/api/v1/sla/policies', {
      name: 'Incident SLA',
      ticketType: 'incident',
      calendarId: cal.id,
      targets: { '3': { firstResponseMinutes: 60, resolutionMinutes: 480 } },
    });
    const users = await admin('GET', '/api/v1/users?limit=200');
    const ada = users.items.find((u: { email: string }) => u.email === agent.email);
    const teams = await admin('GET', '/api/v1/teams?limit=200');
    const desk = teams.items.find((t: { name: string }) => t.name === 'Service Desk');
    const t = await admin('POST', '/api/v1/tickets', {
      type: 'incident',
      title: 'Docking station has no video',
      teamId: desk.id,
      assigneeId: ada.id,
    });
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, agent.email, PASSWORD);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav
        .getByRole('link', { name: /^Notifications/ })
        .getByLabel(/unread/)
        .waitFor();
      await nav.getByRole('link', { name: /^Notifications/ }).click();
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
      const item = page.getByRole('link', {
        name: `[${t.key}] Assigned to you: Docking station has no video`,
      });
      await item.click();
      await page.getByRole('heading', { name: new RegExp(`^${t.key}`) }).waitFor();
      const sla = page.getByRole('region', { name: 'Service level' });
      await sla.getByText('Incident SLA · Office hours (Europe/Berlin)').waitFor();
      await sla.getByText('Resolution').waitFor();
      expect(await sla.getByText(/left$/).count()).toBeGreaterThan(0);
      await nav.getByRole('link', { name: 'Queue' }).click();
      const row = page.getByRole('table', { name: 'Tickets' }).getByRole('row').filter({ hasText: t.key });
      await row.waitFor();
      await row
        .locator('.badge')
        .filter({ hasText: /^(Due|Due soon|Breached|Paused)/ })
        .waitFor();
      await page.screenshot({ path: join(shots, 'desk-7-sla-queue.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
  it('offers a requester their own devices on the portal form, and links the one they tick', async () => {
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const users = await admin('GET', '/api/v1/users?limit=200');
    const rita = users.items.find((u: { email: string }) => u.email === requester.email);
    await admin('POST', '/api/v1/cis', {
      classKey: 'laptop',
      name: 'Rita’s laptop',
      assetTag: 'LT-9',
      ownerId: rita.id,
    });
    await admin('POST', '/api/v1/cis', {
      classKey: 'laptop',
      name: 'Someone else’s laptop',
      assetTag: 'LT-10',
    });
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, requester.email, PASSWORD);
      await page.goto(`${server.url}/portal/new`);
      const devices = page.getByRole('group', { name: 'Which of your devices is it about?' });
      await devices.getByLabel('Rita’s laptop (LT-9)').check();
      expect(await devices.getByRole('checkbox').count()).toBe(1);
      await page.getByLabel('Title').fill('Laptop fan is loud');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText(/Your ticket INC-\d+ was opened/).waitFor();
      const id = page.url().split('/').pop()!;
      const linked = await admin('GET', `/api/v1/tickets/${id}/cis`);
      expect(linked.items.map((c: { name: string }) => c.name)).toEqual(['Rita’s laptop']);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
