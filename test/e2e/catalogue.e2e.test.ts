// The service catalogue in a real browser: a requester fills an item's form (a conditional field appears when a
// choice calls for it, the server's message shows beside a field), her manager approves at level 1, Finance at
// level 2, Hardware and then the Desk do their tasks in order, and the requester sees her request fulfilled and
// its ticket resolved. The admin's item editor opens the item and saves it unchanged.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { apiAs, PASSWORD, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('service catalogue', () => {
  let server: Server;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const ids: Record<string, string> = {};
    for (const [email, name, role] of [
      ['manny@example.com', 'Manny Manager', 'manager'],
      ['rita@example.com', 'Rita Requester', 'requester'],
      ['fin@example.com', 'Fiona Finance', 'agent'],
      ['hank@example.com', 'Hank Hardware', 'agent'],
      ['dora@example.com', 'Dora Desk', 'agent'],
    ]) {
      const u = await admin('POST', '/api/v1/users', { email, name, role, password: PASSWORD, teamIds: [] });
      ids[email!] = u.id;
    }
    await admin(
      'PATCH',
      `/api/v1/users/${ids['rita@example.com']}`,
      { managerId: ids['manny@example.com'] },
      {
        'If-Match': '"v1"',
      },
    );
    const team = async (name: string, email: string) =>
      (await admin('POST', '/api/v1/teams', { name, memberIds: [ids[email]] })).id as string;
    const finance = await team('Finance', 'fin@example.com');
    const hardware = await team('Hardware', 'hank@example.com');
    const desk = await team('Desk', 'dora@example.com');
    await admin('POST', '/api/v1/catalogue/items', {
      name: 'New laptop',
      category: 'Hardware',
      description: 'A laptop for work.',
      audience: 'everyone',
      approvals: [{ kind: 'manager' }, { kind: 'team', teamId: finance, rule: 'any' }],
      tasks: [
        { title: 'Order the laptop', teamId: hardware },
        { title: 'Hand it over', teamId: desk },
      ],
      fields: [
        {
          key: 'device',
          label: 'Device',
          type: 'choice',
          required: true,
          choices: [
            { value: 'laptop', label: 'Laptop' },
            { value: 'tablet', label: 'Tablet' },
          ],
        },
        {
          key: 'screen',
          label: 'Screen size',
          type: 'number',
          min: 12,
          max: 17,
          showWhen: { field: 'device', equals: ['laptop'] },
          requiredWhen: { field: 'device', equals: ['laptop'] },
        },
        { key: 'reason', label: 'Reason', type: 'text', required: true },
      ],
    });
    await admin('POST', '/api/v1/catalogue/items', {
      name: 'Guest Wi-Fi access',
      category: 'Network',
      audience: 'everyone',
      approvals: [{ kind: 'manager' }],
      tasks: [{ title: 'Create the guest account', teamId: desk }],
      fields: [{ key: 'for_whom', label: 'For whom', type: 'user', required: true }],
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Runs `steps` in a browser signed in as `email`, failing on any page error. */
  const as = async (
    email: string,
    steps: (page: Awaited<ReturnType<typeof openBrowser>>['page']) => Promise<void>,
    password = PASSWORD,
  ) => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, email, password);
      await steps(page);
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  };

  it('requests an item through two approval levels to fulfilment', async () => {
    let path = '';
    await as('rita@example.com', async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click();
      await page.getByRole('heading', { name: 'Service catalogue', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'New laptop' }).click();
      const form = page.getByRole('form', { name: 'Request New laptop' });
      await page.getByText('Approved by: Your manager → Finance').waitFor();
      expect(await form.getByLabel('Screen size').count()).toBe(0);
      await form.getByLabel('Device').selectOption('laptop');
      await form.getByLabel('Screen size').fill('19');
      await form.getByLabel('Reason').fill('My old one broke');
      await form.getByRole('button', { name: 'Send request' }).click();
      await form.getByText('must be at most 17').waitFor();
      await form.getByLabel('Screen size').fill('14');
      await form.getByRole('button', { name: 'Send request' }).click();
      await page.getByRole('heading', { name: /^CAT-\d+ New laptop$/, level: 1 }).waitFor();
      await page.getByText('Awaiting approval').first().waitFor();
      await page.getByText('Level 1: Manny Manager (manager)').waitFor();
      path = new URL(page.url()).pathname;
    });
    await as('manny@example.com', async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click();
      await page.getByRole('link', { name: 'Approvals for me' }).click();
      await page.getByRole('table', { name: 'Requests' }).getByRole('link', { name: 'New laptop' }).click();
      await page.getByText('Screen size').waitFor();
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('Manny Manager: approved').waitFor();
      expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    });
    await as('fin@example.com', async (page) => {
      await page.goto(`${server.url}/catalogue/requests?scope=approvals`);
      await page.getByRole('table', { name: 'Requests' }).getByRole('link', { name: 'New laptop' }).click();
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('In fulfilment').first().waitFor();
    });
    await as('dora@example.com', async (page) => {
      // the Desk's task waits for Hardware's
      await page.goto(`${server.url}${path}`);
      await page.getByText('Order the laptop').waitFor();
      expect(await page.getByRole('button', { name: /Mark .* done/ }).count()).toBe(0);
    });
    await as('hank@example.com', async (page) => {
      await page.goto(`${server.url}/catalogue/requests?scope=tasks`);
      await page.getByRole('table', { name: 'Requests' }).getByRole('link', { name: 'New laptop' }).click();
      await page.getByRole('textbox', { name: 'Note' }).fill('Ordered from the usual supplier');
      await page.getByRole('button', { name: 'Mark “Order the laptop” done' }).click();
      await page.getByText(/Done by Hank Hardware on .*: Ordered from the usual supplier/).waitFor();
    });
    await as('dora@example.com', async (page) => {
      await page.goto(`${server.url}/catalogue/requests?scope=tasks`);
      await page.getByRole('table', { name: 'Requests' }).getByRole('link', { name: 'New laptop' }).click();
      await page.getByRole('button', { name: 'Mark “Hand it over” done' }).click();
      await page.getByText('Fulfilled').first().waitFor();
    });
    await as('rita@example.com', async (page) => {
      await page.goto(`${server.url}/catalogue/requests`);
      const row = page.getByRole('table', { name: 'Requests' }).getByRole('row', { name: /New laptop/ });
      await row.getByText('Fulfilled').waitFor();
      await row.getByText('2 of 2 tasks done').waitFor();
      await row.getByRole('link', { name: 'New laptop' }).click();
      await page.getByRole('link', { name: /^Ticket REQ-\d+$/ }).click();
      await page.getByText('All tasks are done: the request is fulfilled.').waitFor();
    });
    await as(
      server.adminEmail,
      async (page) => {
        await page.goto(`${server.url}/catalogue`);
        await page.getByRole('link', { name: 'Manage the catalogue' }).click();
        await page.getByRole('link', { name: 'New laptop' }).click();
        const form = page.getByRole('form', { name: 'Catalogue item' });
        await form
          .getByRole('group', { name: 'Field 2' })
          .getByLabel('Shown when this field has a value')
          .waitFor();
        await form.getByRole('button', { name: 'Save item' }).click();
        await page.getByText('New laptop saved.').waitFor();
      },
      server.adminPassword,
    );
  });

  it('picks a colleague by name for a request, asks the manager, and lets the requester cancel it', async () => {
    await as('rita@example.com', async (page) => {
      await page.goto(`${server.url}/catalogue`);
      await page.getByRole('link', { name: 'Guest Wi-Fi access' }).click();
      const form = page.getByRole('form', { name: 'Request Guest Wi-Fi access' });
      const forWhom = form.getByRole('group', { name: /For whom/ });
      await forWhom.getByRole('searchbox').fill('ha');
      await forWhom
        .getByRole('list', { name: 'People matching for “For whom”' })
        .getByText('Hank Hardware')
        .waitFor();
      await forWhom
        .getByRole('listitem')
        .filter({ hasText: 'Hank Hardware' })
        .getByRole('button', { name: 'Choose' })
        .click();
      await forWhom.getByText('Hank Hardware').waitFor();
      expect(await forWhom.getByRole('searchbox').count()).toBe(0);
      await form.getByRole('button', { name: 'Send request' }).click();
      await page.getByRole('heading', { name: /^CAT-\d+ Guest Wi-Fi access$/, level: 1 }).waitFor();
      await page.getByRole('definition').filter({ hasText: 'Hank Hardware' }).waitFor();
    });
    await as('manny@example.com', async (page) => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /Notifications/ })
        .click();
      await page
        .getByText(/Your approval is needed: CAT-\d+ “Guest Wi-Fi access” for Rita Requester/)
        .first()
        .waitFor();
    });
    await as('rita@example.com', async (page) => {
      await page.goto(`${server.url}/catalogue/requests`);
      await page
        .getByRole('table', { name: 'Requests' })
        .getByRole('link', { name: 'Guest Wi-Fi access' })
        .click();
      await page.getByRole('button', { name: 'Cancel this request' }).click();
      const confirm = page.getByRole('button', { name: 'Cancel the request' });
      expect(await confirm.isDisabled()).toBe(true);
      await page.getByLabel('Why is it no longer needed?').fill('The visit was called off');
      await confirm.click();
      await page.getByText('Cancelled', { exact: true }).waitFor();
      await page.getByText(/Cancelled by Rita Requester on .*: The visit was called off/).waitFor();
      expect(await page.getByRole('button', { name: 'Cancel this request' }).count()).toBe(0);
    });
  });
});
