// Disaster-recovery plans in a real browser: Payroll runs on an application server, which depends on a database
// server, which runs on a virtual-machine host. An admin creates Payroll's plan through the form and reads its
// recovery order (host, database, application, service), why it is not ready, and that it needs verification;
// gives the step an owner; an agent reads the plan but cannot edit it.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('disaster-recovery plans', () => {
  let server: Server;
  const agent = { email: 'ava@example.com', name: 'Ava Agent' };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', { ...agent, role: 'agent', password: PASSWORD });
    const item = async (classKey: string, name: string) =>
      ((await admin('POST', '/api/v1/cis', { classKey, name, status: 'deployed' })) as { id: string }).id;
    const payroll = await item('service', 'Payroll');
    const app = await item('server', 'PAY-APP-1');
    const db = await item('server', 'PAY-DB-1');
    const host = await item('server', 'VM-HOST-1');
    await admin('POST', `/api/v1/cis/${payroll}/relationships`, { type: 'runs_on', toId: app });
    await admin('POST', `/api/v1/cis/${app}/relationships`, { type: 'depends_on', toId: db });
    await admin('POST', `/api/v1/cis/${db}/relationships`, { type: 'runs_on', toId: host });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('creates a plan for a service and shows its recovery order, readiness and verification', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    const area = () =>
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Disaster recovery' });
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await area().click();
      await page.getByRole('heading', { name: 'Disaster recovery', level: 1 }).waitFor();
      await page.getByText('No plan yet.').waitFor();
      await page.getByRole('link', { name: 'New plan' }).click();
      const form = page.getByRole('form', { name: 'New recovery plan' });
      await form.getByLabel('Name').first().fill('Payroll recovery');
      await form.getByLabel('Business service').selectOption({ label: 'Payroll' });
      await form.getByLabel('RPO (minutes)').fill('60');
      await form.getByRole('button', { name: 'Add step' }).click();
      await form.getByLabel('Step 1: title').fill('Restore the database');
      await form.getByRole('button', { name: 'Add contact' }).click();
      await form.getByRole('group', { name: 'Contact 1' }).getByLabel('Name').fill('Hosting provider');
      await form.getByRole('group', { name: 'Contact 1' }).getByLabel('Phone').fill('+44 20 7946 0000');
      await form.getByRole('button', { name: 'Create plan' }).click();

      await page.getByRole('heading', { name: 'Payroll recovery', level: 1 }).waitFor();
      await page.getByText('Recovery plan for Payroll').waitFor();
      const order = page.getByRole('list', { name: 'Recovery order' }).getByRole('listitem');
      expect(await order.allInnerTexts()).toEqual([
        expect.stringMatching(/^1\.\s+VM-HOST-1 \(Server, wave 1\)\s+No snapshot$/),
        expect.stringMatching(/^2\.\s+PAY-DB-1 \(Server, wave 2\) · needs VM-HOST-1\s+No snapshot$/),
        expect.stringMatching(/^3\.\s+PAY-APP-1 \(Server, wave 3\) · needs PAY-DB-1\s+No snapshot$/),
        expect.stringMatching(/^4\.\s+Payroll \(Business or IT service, wave 4\) · needs PAY-APP-1$/),
      ]);
      const reasons = page.getByRole('list', { name: 'Why the plan is not ready' }).getByRole('listitem');
      expect(await reasons.allInnerTexts()).toEqual([
        'VM-HOST-1 has no backup snapshot.',
        'PAY-DB-1 has no backup snapshot.',
        'PAY-APP-1 has no backup snapshot.',
        'Step 1 “Restore the database” has no owner.',
      ]);
      await page.getByText('Needs verification', { exact: true }).first().waitFor();
      await page.getByText(/New plan by First Admin: no drill has run it yet\./).waitFor();
      await page.getByText('Hosting provider').waitFor();
      const md = await page.getByRole('link', { name: 'Export Markdown' }).getAttribute('href');
      expect(md).toMatch(/^\/api\/v1\/dr\/plans\/[0-9a-f-]{36}\/export\.md$/);
      const pdf = await page.request.get(`${server.url}${md!.replace('.md', '.pdf')}`);
      expect(pdf.status()).toBe(200);
      expect((await pdf.body()).subarray(0, 8).toString()).toBe('%PDF-1.4');

      // The step gets an owner: that reason goes.
      await page.getByRole('link', { name: 'Edit' }).click();
      const edit = page.getByRole('form', { name: 'Edit Payroll recovery' });
      const step = edit.getByRole('group', { name: 'Step 1' });
      await step.getByLabel('Owner').selectOption({ label: 'Ava Agent' });
      await step.getByLabel('PAY-DB-1').check();
      await edit.getByRole('button', { name: 'Save plan' }).click();
      await page.getByText('Changes saved: the plan needs verification.').waitFor();
      await page.getByText('Owner: Ava Agent · restores PAY-DB-1').waitFor();
      expect(await reasons.allInnerTexts()).not.toContain('Step 1 “Restore the database” has no owner.');
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      await area().click();
      const row = page.getByRole('row', { name: /Payroll recovery/ });
      await row.getByText('Not ready').waitFor();
      await row.getByText('Needs verification').waitFor();

      // An agent reads the plan but is offered no editing.
      await page.context().clearCookies();
      await signIn(page, server.url, agent.email, PASSWORD);
      await area().click();
      await page.getByRole('link', { name: 'Payroll recovery' }).click();
      await page.getByRole('heading', { name: 'Payroll recovery', level: 1 }).waitFor();
      expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'New plan' }).count()).toBe(0);
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });
});
