// The knowledge base in a real browser: an agent writes a policy and submits it for review, a manager approves
// and publishes it and asks everyone to acknowledge it, a requester finds it waiting, reads and acknowledges it,
// finds it with the global search box, and the manager sees the campaign's progress.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { apiAs, PASSWORD, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('knowledge base', () => {
  let server: Server;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    for (const [email, name, role] of [
      ['ada@example.com', 'Ada Author', 'agent'],
      ['mia@example.com', 'Mia Manager', 'manager'],
      ['rita@example.com', 'Rita Requester', 'requester'],
    ])
      await admin('POST', '/api/v1/users', { email, name, role, password: PASSWORD, teamIds: [] });
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

  it('publishes a policy through approval and has it acknowledged', async () => {
    let path = '';
    await as('ada@example.com', async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).click();
      await page.getByRole('heading', { name: 'Knowledge', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'New article' }).click();
      const form = page.getByRole('form', { name: 'New article' });
      await form.getByLabel('Kind').selectOption('policy');
      await form.getByLabel('Title').fill('Clean desk policy');
      await form
        .getByRole('textbox', { name: 'Text' })
        .fill('Lock your screen when you **leave** your desk.');
      await form.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('heading', { name: 'KB-1 Clean desk policy', level: 1 }).waitFor();
      path = new URL(page.url()).pathname;
      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.getByText(/Version 1: any of .*Mia Manager.* — pending/).waitFor();
      // the author is no approver of their own article
      expect(await page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    });
    await as('mia@example.com', async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).click();
      await page.getByLabel('Drafts and reviews too').check();
      await page.getByRole('link', { name: 'KB-1' }).click();
      await page.getByRole('heading', { name: 'KB-1 Clean desk policy', level: 1 }).waitFor();
      await page.getByRole('textbox', { name: 'Reason' }).fill('Clear and short');
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByText('Mia Manager: approved (Clear and short)').waitFor();
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('region', { name: 'Published version 1' }).getByText('leave').waitFor();
      const ask = page.getByRole('form', { name: 'Ask for acknowledgement' });
      await ask.getByLabel('Ask').selectOption('role');
      await ask.getByLabel('Role').selectOption('requester');
      await ask.getByRole('button', { name: 'Ask for acknowledgement' }).click();
      await page.getByText('0 of 1 acknowledged version 1').waitFor();
    });
    await as('rita@example.com', async (page) => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Knowledge' }).click();
      const waiting = page.getByRole('list', { name: 'Policies to acknowledge' });
      await waiting.getByRole('link', { name: 'KB-1 Clean desk policy' }).click();
      await page.getByText('Lock your screen when you').waitFor();
      // a reader sees the published text only: no review, no versions, no next step
      expect(await page.getByRole('region', { name: 'Versions' }).count()).toBe(0);
      await page.getByRole('button', { name: 'I have read and acknowledge this policy' }).click();
      await page.getByText(/You acknowledged this policy on/).waitFor();
      // the global search box finds the published policy
      const box = page.getByRole('searchbox', { name: 'Find tickets, people and items' });
      await box.fill('clean desk');
      await box.press('Enter');
      await page
        .getByRole('region', { name: 'Articles' })
        .getByRole('link', { name: 'KB-1 Clean desk policy' })
        .waitFor();
      await page.goto(`${server.url}/kb`);
      await page.getByRole('heading', { name: 'Knowledge', level: 1 }).waitFor();
      expect(await page.getByRole('list', { name: 'Policies to acknowledge' }).count()).toBe(0);
    });
    await as('mia@example.com', async (page) => {
      await page.goto(`${server.url}${path}`);
      await page.getByText('1 of 1 acknowledged version 1').waitFor();
      await page.getByText('Done: Rita Requester').waitFor();
    });
  });
});
