// Change management in a real browser: an admin raises a normal change on a form, moves it to assessment and
// reads why it is risky, sends it for authorisation to the CAB (a route set through the API), approves it, and
// finds it on the month calendar next to a maintenance window; on a phone the calendar is a list.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** `YYYY-MM-DDTHH:mm` of a UTC instant, as a datetime-local input takes it (the browser runs in UTC). */
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe.skipIf(!enabled)('change management', () => {
  let server: Server;
  // Tomorrow at 10:00 UTC (the calendar opens on this month: next month when tomorrow is the 1st).
  const day = new Date(Date.now() + 86_400_000);
  const start = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 10);

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const me = (await admin('GET', '/api/v1/auth/session')) as { user: { id: string } };
    const team = (await admin('POST', '/api/v1/teams', { name: 'CAB', memberIds: [me.user.id] })) as {
      id: string;
    };
    const routes = (await admin('GET', '/api/v1/change-approval-routes')) as {
      items: { route: string; version: number }[];
    };
    for (const r of routes.items)
      await admin(
        'PUT',
        `/api/v1/change-approval-routes/${r.route}`,
        { levels: [{ teamId: team.id, rule: 'any' }] },
        {
          'if-match': `"v${r.version}"`,
        },
      );
    const db = (await admin('POST', '/api/v1/cis', {
      classKey: 'server',
      name: 'PAY-DB-1',
      status: 'deployed',
    })) as { id: string };
    await admin('POST', '/api/v1/change-windows', {
      kind: 'maintenance',
      name: 'Database nights',
      ciId: db.id,
      startsAt: new Date(start - 3_600_000).toISOString(),
      endsAt: new Date(start + 6 * 3_600_000).toISOString(),
    });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('raises, assesses, approves and calendars a change', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Changes' }).click();
      await page.getByRole('heading', { name: 'Changes', level: 1 }).waitFor();
      await page.getByText('No change yet.').waitFor();
      await page.getByRole('link', { name: 'New change' }).click();
      const form = page.getByRole('form', { name: 'New change' });
      await form.getByLabel('Title').fill('Patch the payroll database');
      await form.getByLabel('Planned start').fill(local(start));
      await form.getByLabel('Planned end').fill(local(start + 3_600_000));
      await form.getByLabel('Implementation plan').fill('apt upgrade');
      await form.getByLabel('Test plan').fill('Run a payslip');
      await form.getByLabel('Backout plan').fill('Restore the snapshot');
      await form.getByRole('button', { name: 'Raise change' }).click();
      await page.getByRole('heading', { name: 'CHG-1 Patch the payroll database', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Move to assessment' }).click();
      await page.getByRole('button', { name: 'Move to authorisation' }).waitFor();
      const reasons = page.getByRole('list', { name: 'Risk reasons' }).getByRole('listitem');
      expect(await reasons.allInnerTexts()).toEqual([
        'No configuration items named: the impact is unknown (+2)',
      ]);
      await page.getByRole('button', { name: 'Move to authorisation' }).click();
      const levels = page.getByRole('list', { name: 'Approval levels' }).getByRole('listitem');
      await levels.filter({ hasText: 'CAB: any (1 needed) — pending' }).waitFor();
      await page.getByRole('textbox', { name: 'Reason' }).fill('Looks safe');
      await page.getByRole('button', { name: 'Approve' }).click();
      await levels.filter({ hasText: 'CAB: any (1 needed) — approved' }).waitFor();
      await page.getByText('First Admin: approved (Looks safe)').waitFor();
      await page.getByRole('button', { name: 'Move to implementing' }).waitFor();

      await page.getByRole('link', { name: 'Changes' }).first().click();
      await page.getByRole('link', { name: 'Calendar' }).click();
      await page.getByRole('heading', { name: 'Change calendar', level: 1 }).waitFor();
      if (new Date(start).getUTCMonth() !== new Date().getUTCMonth())
        await page.getByRole('button', { name: 'Next month' }).click();
      const cell = page.getByRole('gridcell').filter({ hasText: 'CHG-1 Patch the payroll database' });
      await cell.getByText('Window: Database nights').waitFor();
      const list = page.getByRole('list', { name: 'Calendar list' });
      await list.getByText(/Maintenance window “Database nights” for PAY-DB-1/).waitFor();
      await page.setViewportSize({ width: 390, height: 800 });
      await list.getByRole('link', { name: 'CHG-1' }).waitFor();
      expect(await page.getByRole('grid').isVisible()).toBe(false);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await list.getByRole('link', { name: 'CHG-1' }).click();
      await page.getByRole('heading', { name: 'CHG-1 Patch the payroll database', level: 1 }).waitFor();
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });
});
