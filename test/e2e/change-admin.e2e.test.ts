// What managers keep for change management, in a real browser: a template made on its form (the server's
// field messages shown beside the fields), an approval route's levels, a blackout whose conflict then shows on
// a change planned inside it; and the success rates, each number opening the changes it counts.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { apiAs, overflow, PASSWORD, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Api = Awaited<ReturnType<typeof apiAs>>;

/** `YYYY-MM-DDTHH:mm` of a UTC instant, as a datetime-local input takes it (the browser runs in UTC). */
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const START = Date.UTC(2031, 11, 22, 9);

describe.skipIf(!enabled)('change management admin pages', () => {
  let server: Server;
  let admin: Api;
  let change: { id: string; key: string };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', {
      email: 'max@example.com',
      name: 'Max Manager',
      role: 'manager',
      password: PASSWORD,
    });
    await admin('POST', '/api/v1/users', {
      email: 'ada@example.com',
      name: 'Ada Agent',
      role: 'agent',
      password: PASSWORD,
    });
    await admin('POST', '/api/v1/teams', { name: 'CAB' });
    change = (await admin('POST', '/api/v1/changes', {
      type: 'normal',
      title: 'Patch the ledger',
      implementationPlan: 'apt upgrade',
      testPlan: 'Post a journal',
      backoutPlan: 'Roll back the package',
      plannedStart: new Date(START).toISOString(),
      plannedEnd: new Date(START + 2 * 3_600_000).toISOString(),
    })) as { id: string; key: string };
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('creates a template and a blackout on their forms, sets a route, and shows the blackout on a change', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, 'max@example.com', PASSWORD);
      await page.goto(`${server.url}/changes`);
      await page.getByRole('link', { name: 'Templates' }).click();
      await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
      await page.getByText('No template yet.').waitFor();
      await page.getByRole('link', { name: 'New template' }).click();
      const form = page.getByRole('form', { name: 'Template' });
      await form.getByLabel('Name').fill('Restart a web server');
      await form.getByLabel('Type').selectOption('standard');
      await form.getByRole('button', { name: 'Add a question' }).click();
      await form.getByLabel('Key of question 1').fill('Customer Facing');
      await form.getByLabel('Question 1', { exact: true }).fill('Do customers see the server?');
      await form.getByLabel('Points of question 1').fill('4');
      await form.getByLabel('Implementation plan').fill('systemctl restart nginx');
      await form.getByRole('button', { name: 'Create template' }).click();
      // The server's message sits beside the field it is about.
      await form.getByText('Correct the fields marked below.').waitFor();
      await form.getByText('Must be a short key (a-z, 0-9, _)').waitFor();
      expect(await form.getByLabel('Key of question 1').getAttribute('aria-invalid')).toBe('true');
      await form.getByLabel('Key of question 1').fill('customer_facing');
      await form.getByRole('button', { name: 'Create template' }).click();
      await page.getByText('The template Restart a web server was created.').waitFor();
      const templates = page.getByRole('table', { name: 'Templates' });
      await templates
        .getByRole('row')
        .filter({ hasText: 'Restart a web server' })
        .getByText('Standard')
        .waitFor();
      // A second template of the same name is refused, named at its field.
      await page.getByRole('link', { name: 'New template' }).click();
      await form.getByLabel('Name').fill('Restart a web server');
      await form.getByRole('button', { name: 'Create template' }).click();
      await form.getByText('Taken').waitFor();
      await page.getByRole('link', { name: 'Cancel' }).click();
      await templates.getByRole('link', { name: 'Restart a web server' }).click();
      await expect.poll(() => form.getByLabel('Points of question 1').inputValue()).toBe('4');
      await form.getByLabel('Description').fill('When the site hangs');
      await form.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.').waitFor();

      await page.goto(`${server.url}/changes`);
      await page.getByRole('link', { name: 'Approval routes' }).click();
      const high = page.getByRole('form', { name: 'High risk' });
      await high.getByRole('button', { name: 'Add a level' }).click();
      await high.getByRole('button', { name: 'Save High risk' }).click();
      await high.getByText('Must be a team id').waitFor();
      await high.getByLabel('Level 1: approver group').selectOption({ label: 'CAB' });
      await high.getByLabel('Level 1: rule').selectOption('at_least');
      await high.getByLabel('Level 1: how many').fill('2');
      await high.getByRole('button', { name: 'Save High risk' }).click();
      await page.getByText('Saved.').waitFor();
      const routes = (await admin('GET', '/api/v1/change-approval-routes')) as {
        items: { route: string; levels: { teamName: string; rule: string; count?: number }[] }[];
      };
      expect(routes.items.find((r) => r.route === 'high')?.levels).toEqual([
        expect.objectContaining({ teamName: 'CAB', rule: 'at_least', count: 2 }),
      ]);

      await page.goto(`${server.url}/changes`);
      await page.getByRole('link', { name: 'Windows and blackouts' }).click();
      await page.getByRole('heading', { name: 'Windows and blackouts', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'New blackout' }).click();
      const w = page.getByRole('form', { name: 'Window' });
      await w.getByLabel('Name').fill('Year-end freeze');
      await w.getByLabel('Starts').fill(local(START - 86_400_000));
      await w.getByLabel('Ends').fill(local(START - 2 * 86_400_000));
      await w.getByRole('button', { name: 'Create' }).click();
      await w.getByText('Must be after the start').waitFor();
      await w.getByLabel('Ends').fill(local(START + 10 * 86_400_000));
      await w.getByRole('button', { name: 'Create' }).click();
      await page.getByText('Year-end freeze was created.').waitFor();
      const blackouts = page.getByRole('table', { name: 'Blackouts' });
      await blackouts
        .getByRole('row')
        .filter({ hasText: 'Year-end freeze' })
        .getByText('Every item')
        .waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      await page.goto(`${server.url}/changes/${change.id}`);
      await page.getByRole('heading', { name: `${change.key} Patch the ledger`, level: 1 }).waitFor();
      await page
        .getByRole('list', { name: 'Conflicts' })
        .getByText(/Inside the blackout “Year-end freeze”/)
        .waitFor();
      // Sending it for authorisation is refused without an emergency override.
      await page.getByRole('button', { name: 'Move to assessment' }).click();
      await page.getByRole('button', { name: 'Move to authorisation' }).click();
      await page.getByText(/only an emergency override with a reason allows it/).waitFor();
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });

  it('keeps the admin pages from agents', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    try {
      await signIn(page, server.url, 'ada@example.com', PASSWORD);
      await page.goto(`${server.url}/changes`);
      await page.getByRole('link', { name: 'Success rates' }).waitFor();
      expect(await page.getByRole('link', { name: 'Templates' }).count()).toBe(0);
      await page.goto(`${server.url}/changes/templates/new`);
      await page.getByRole('heading', { name: 'Not available', level: 1 }).waitFor();
    } finally {
      await close();
    }
  });

  it('shows success rates per team and template for a period, each number opening its changes', async () => {
    const tpl = (await admin('GET', '/api/v1/change-templates')) as { items: { id: string }[] };
    const teams = (await admin('GET', '/api/v1/teams')) as { items: { id: string; name: string }[] };
    const cab = teams.items.find((t) => t.name === 'CAB')!.id;
    const titles = ['Restart web-1', 'Restart web-2', 'Restart web-3'];
    const outcomes = ['successful', 'successful', 'failed'];
    for (const [i, title] of titles.entries()) {
      const s = START + (20 + i) * 86_400_000;
      const c = (await admin('POST', '/api/v1/changes', {
        templateId: tpl.items[0]!.id,
        title,
        teamId: cab,
        plannedStart: new Date(s).toISOString(),
        plannedEnd: new Date(s + 3_600_000).toISOString(),
      })) as { id: string };
      for (const to of ['assessment', 'scheduled', 'implementing', 'review'])
        await admin('POST', `/api/v1/changes/${c.id}/transitions`, { to });
      await admin('POST', `/api/v1/changes/${c.id}/transitions`, { to: 'closed', outcome: outcomes[i] });
    }
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/changes`);
      await page.getByRole('link', { name: 'Success rates' }).click();
      await page.getByRole('heading', { name: 'Success rates', level: 1 }).waitFor();
      const byTeam = page.getByRole('table', { name: 'Team' });
      const row = byTeam.getByRole('row').filter({ hasText: 'CAB' });
      expect(await row.getByRole('cell').allInnerTexts()).toEqual(['CAB', '3', '2', '0', '1', '0', '67%']);
      await page
        .getByRole('table', { name: 'Template' })
        .getByRole('row')
        .filter({ hasText: 'Restart a web server' })
        .waitFor();
      // A period that ended before these closed holds none of them.
      await page.getByLabel('Closed in').selectOption('custom');
      await page.getByLabel('Until (included)').fill('2020-01-31');
      await page.getByText('No change closed in this period.').first().waitFor();
      await page.getByLabel('Closed in').selectOption('30');
      await row.getByRole('link', { name: '1 change Failed: CAB' }).click();
      await page.getByRole('heading', { name: 'Changes', level: 1 }).waitFor();
      await page.getByText(/Showing: team CAB · Failed · closed/).waitFor();
      const rows = page.getByRole('table', { name: 'Changes' }).getByRole('link', { name: /^CHG-/ });
      await expect.poll(() => rows.count()).toBe(1);
      await page.getByRole('table', { name: 'Changes' }).getByText('Restart web-3').waitFor();
      await page.getByRole('link', { name: 'Show every change' }).click();
      await expect.poll(() => rows.count()).toBe(4);
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });
});
