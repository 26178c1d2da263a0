// Knowledge in the flow of work in a real browser: a requester writing a ticket in the portal is offered a
// matching article and says it solved the problem (a ticket avoided is counted), and an agent finds an article
// from the ticket page and links it, which the article then shows; the requester sees it on their ticket, the
// agent the tickets avoided, and an author adds and deletes an image.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { apiAs, PASSWORD, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Api = Awaited<ReturnType<typeof apiAs>>;

describe.skipIf(!enabled)('knowledge in the flow of work', () => {
  let server: Server;
  let ada: Api;
  let article: { id: string; key: string };
  let ticket: { id: string; key: string };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const ids: Record<string, string> = {};
    for (const [email, name, role] of [
      ['ada@example.com', 'Ada Agent', 'agent'],
      ['mia@example.com', 'Mia Manager', 'manager'],
      ['rita@example.com', 'Rita Requester', 'requester'],
    ] as const)
      ids[email] = (
        await admin('POST', '/api/v1/users', { email, name, role, password: PASSWORD, teamIds: [] })
      ).id;
    const team = await admin('POST', '/api/v1/teams', { name: 'Desk', memberIds: [ids['ada@example.com']] });
    ada = await apiAs(server.url, 'ada@example.com', PASSWORD);
    const mia = await apiAs(server.url, 'mia@example.com', PASSWORD);
    article = await ada('POST', '/api/v1/kb/articles', {
      kind: 'how_to',
      audience: 'requesters',
      title: 'Printer jams on tray 2',
      body: 'Open tray 2, take out the **crumpled sheet** and close it again.',
    });
    await ada('POST', `/api/v1/kb/articles/${article.id}/transitions`, { to: 'in_review' });
    await mia('POST', `/api/v1/kb/articles/${article.id}/approvals`, { decision: 'approve' });
    await ada('POST', `/api/v1/kb/articles/${article.id}/transitions`, { to: 'published' });
    ticket = await admin('POST', '/api/v1/tickets', {
      type: 'incident',
      title: 'Printer on floor 2 stopped',
      requesterId: ids['rita@example.com'],
      teamId: team.id,
      assigneeId: ids['ada@example.com'],
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Runs `steps` in a browser signed in as `email`, failing on any page error. */
  const as = async (
    email: string,
    steps: (page: Awaited<ReturnType<typeof openBrowser>>['page']) => Promise<void>,
  ) => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, email, PASSWORD);
      await steps(page);
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  };

  it('suggests an article while a requester types, and counts the ticket it avoided', async () => {
    await as('rita@example.com', async (page) => {
      await page.goto(`${server.url}/portal/new`);
      await page.getByLabel('Title').fill('My printer jammed again');
      const found = page.getByRole('list', { name: 'Articles that may help' });
      await found.getByRole('button', { name: 'Printer jams on tray 2' }).click();
      const text = page.getByRole('article', { name: 'Printer jams on tray 2' });
      await text.getByText('crumpled sheet').waitFor();
      await text.getByRole('button', { name: 'This solved it' }).click();
      await page.getByRole('status').getByText('Glad it helped').waitFor();
    });
    await expect
      .poll(async () => (await ada('GET', '/api/v1/kb/avoided')).items, { timeout: 10_000 })
      .toEqual([expect.objectContaining({ key: article.key, solved: 1, total: 1 })]);
  });

  it('lets an agent find an article from the ticket page and link it', async () => {
    await as('ada@example.com', async (page) => {
      await page.goto(`${server.url}/tickets/${ticket.id}`);
      const panel = page.getByRole('region', { name: 'Knowledge' });
      await panel.getByText('No article is linked yet.').waitFor();
      await panel.getByRole('searchbox', { name: 'Find an article to link' }).fill('printer');
      await panel.getByRole('button', { name: `Link ${article.key}` }).click();
      await panel.getByRole('link', { name: `${article.key} Printer jams on tray 2` }).click();
      await page.getByRole('heading', { name: `${article.key} Printer jams on tray 2`, level: 1 }).waitFor();
      await page
        .getByRole('list', { name: 'Tickets' })
        .getByRole('link', { name: `${ticket.key} Printer on floor 2 stopped` })
        .waitFor();
    });
  });

  it('shows the requester the linked article on their ticket, and the agent the tickets avoided', async () => {
    await as('rita@example.com', async (page) => {
      await page.goto(`${server.url}/portal/tickets/${ticket.id}`);
      const help = page.getByRole('region', { name: 'Articles that may help' });
      await help.getByRole('link', { name: `${article.key} Printer jams on tray 2` }).click();
      await page.getByText('crumpled sheet').waitFor();
    });
    await as('ada@example.com', async (page) => {
      await page.goto(`${server.url}/kb`);
      await page.getByRole('link', { name: 'Tickets avoided' }).click();
      await page.getByText('1 tickets avoided in total').waitFor();
      await page.getByRole('link', { name: article.key }).waitFor();
    });
  });

  it('lets an author add an image and delete it while no version of the text shows it', async () => {
    const draft = await ada('POST', '/api/v1/kb/articles', {
      kind: 'how_to',
      audience: 'requesters',
      title: 'Scanner setup',
      body: 'Plug it in.',
    });
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('IHDR'),
    ]);
    await as('ada@example.com', async (page) => {
      await page.goto(`${server.url}/kb/${draft.id}`);
      const panel = page.getByRole('region', { name: 'Links and review' });
      await panel
        .getByLabel('Add an image (PNG, JPEG, GIF or WebP, up to 5 MiB)')
        .setInputFiles({ name: 'scanner.png', mimeType: 'image/png', buffer: png });
      const list = panel.getByRole('list', { name: 'Images of this article' });
      await list.getByText('scanner.png').waitFor();
      await list.getByRole('button', { name: 'Delete' }).click();
      await list.getByRole('button', { name: 'Delete image' }).click();
      await list.waitFor({ state: 'detached' });
    });
    expect((await ada('GET', `/api/v1/kb/articles/${draft.id}/images`)).items).toEqual([]);
  });
});
