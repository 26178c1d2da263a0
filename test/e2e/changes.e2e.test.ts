// Change management in a real browser: an admin raises a normal change on a form, moves it to assessment and
// reads why it is risky, sends it for authorisation to the CAB (a route set through the API), approves it, and
// finds it on the month calendar next to a maintenance window; on a phone the calendar is a list. A change on a
// backed-up server waits for the restore point the server's (real) agent takes, and is put back from its page.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupIfDue, systemHost } from '../../src/agent/backup.js';
import { reportOf } from '../support/devices.js';
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
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  let dir = '';

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
      // The week view stays a grid on a phone: its days stacked, each with its changes' times.
      await page.getByRole('button', { name: 'Week', exact: true }).click();
      const monday = (ms: number) => {
        const d = new Date(ms);
        const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
        return day - ((new Date(day).getUTCDay() + 6) % 7) * 86_400_000;
      };
      if (monday(start) !== monday(Date.now())) await page.getByRole('button', { name: 'Next week' }).click();
      const weekCell = page.getByRole('gridcell').filter({ hasText: 'CHG-1 Patch the payroll database' });
      await weekCell.getByText(/10:00\s*(AM)?\s*CHG-1/).waitFor();
      await weekCell.getByText('Window: Database nights').waitFor();
      expect(await page.getByRole('grid').isVisible()).toBe(true);
      expect(await page.getByRole('gridcell').count()).toBe(7);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await list.getByRole('link', { name: 'CHG-1' }).click();
      await page.getByRole('heading', { name: 'CHG-1 Patch the payroll database', level: 1 }).waitFor();
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });

  it('waits for the restore point the agent takes, then implements, and puts the server back when backed out', async () => {
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    dir = mkdtempSync(join(tmpdir(), 'steward-e2e-change-'));
    const post = async (path: string, body: unknown, token: string) => {
      const r = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      expect(r.ok).toBe(true);
      return (await r.json()) as Record<string, string>;
    };
    const { token: enrolment } = (await admin('POST', '/api/v1/agents/enrolment-tokens', { uses: 1 })) as {
      token: string;
    };
    const uuid = randomUUID();
    const enrolled = await post(
      '/api/v1/agents/enrol',
      { enrolmentToken: enrolment, hostname: 'hr-db-2', systemUuid: uuid },
      '',
    );
    const { ciId } = await post('/api/v1/agents/report', reportOf('hr-db-2', uuid), enrolled.token!);
    const target = (await admin('POST', '/api/v1/backup/targets', {
      name: 'Server disk',
      location: join(dir, 'store'),
    })) as { id: string };
    await admin('PUT', `/api/v1/backup/repositories/${ciId!}`, { targetId: target.id });
    const src = join(dir, 'etc-hr');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'hr.conf'), 'pool = 10\n');
    const policy = (await admin('POST', '/api/v1/backup/policies', {
      name: 'HR servers',
      schedule: { kind: 'cron', cron: '0 3 1 1 *', timeZone: 'UTC' },
      paths: { linux: [src] },
      retention: { last: 10 },
      rpoMinutes: 24 * 60,
    })) as { id: string };
    await admin('POST', `/api/v1/backup/policies/${policy.id}/assignments`, { scope: 'item', ref: ciId });
    const config = { server: server.url, agentId: enrolled.agentId!, token: enrolled.token! };
    const configPath = join(dir, 'agent.json');
    const host = { ...systemHost, lowerPriority: () => undefined, workers: false };
    const tpl = (await admin('POST', '/api/v1/change-templates', {
      name: 'HR config tweak',
      type: 'standard',
    })) as { id: string };
    const c = (await admin('POST', '/api/v1/changes', {
      templateId: tpl.id,
      title: 'Raise the HR pool',
      itemIds: [ciId],
      plannedStart: new Date(start + 30 * 86_400_000).toISOString(),
      plannedEnd: new Date(start + 30 * 86_400_000 + 3_600_000).toISOString(),
    })) as { id: string; key: string };
    for (const to of ['assessment', 'scheduled'])
      await admin('POST', `/api/v1/changes/${c.id}/transitions`, { to });

    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/changes/${c.id}`);
      await page.getByRole('heading', { name: `${c.key} Raise the HR pool`, level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Move to implementing' }).click();
      const points = page.getByRole('list', { name: 'Restore points' });
      await points.getByText(/hr-db-2: asked for .*, waiting for the agent/).waitFor();
      await page.getByRole('button', { name: 'Implement without restore point' }).waitFor();
      // The agent's next check sees the request and backs up at once (its schedule is not due).
      const run = await backupIfDue(config, configPath, false, host);
      expect(run?.status).toBe('succeeded');
      await points.getByText(/hr-db-2: snapshot [0-9a-f]{8} taken/).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Move to implementing' }).click();
      await page.getByRole('button', { name: 'Move to review' }).click();
      await page.getByLabel('Outcome').selectOption('backed_out');
      await page.getByRole('button', { name: 'Move to closed' }).click();
      await page.getByRole('button', { name: 'Restore that snapshot' }).click();
      await page.getByRole('button', { name: 'Confirm: put hr-db-2 back' }).click();
      await points.getByText('Restore queued').waitFor();
      expect(await page.getByRole('button', { name: 'Restore that snapshot' }).count()).toBe(0);
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });

  it('raises a normal change from a catalogue template with two items picked by name, and shows its risk and conflicts', async () => {
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const cis = (await admin('GET', '/api/v1/cis?q=PAY-DB-1')) as { items: { id: string; name: string }[] };
    const db = cis.items.find((i) => i.name === 'PAY-DB-1')!;
    await admin('POST', '/api/v1/cis', { classKey: 'server', name: 'PAY-APP-1', status: 'deployed' });
    await admin('POST', '/api/v1/change-templates', {
      name: 'Database patch',
      type: 'normal',
      questions: [{ key: 'downtime', text: 'Does it need downtime?', weight: 3 }],
      implementationPlan: 'apt upgrade',
      testPlan: 'Run a payslip',
      backoutPlan: 'Restore the snapshot',
    });
    // Two days on: outside PAY-DB-1's maintenance window, and at the same time as another change on it.
    const at = start + 2 * 86_400_000;
    const other = (await admin('POST', '/api/v1/changes', {
      type: 'normal',
      title: 'Upgrade PAY-DB-1',
      itemIds: [db.id],
      plannedStart: new Date(at).toISOString(),
      plannedEnd: new Date(at + 3_600_000).toISOString(),
    })) as { id: string; key: string };
    await admin('POST', `/api/v1/changes/${other.id}/transitions`, { to: 'assessment' });

    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/changes/new`);
      const form = page.getByRole('form', { name: 'New change' });
      await form.getByLabel('Template').selectOption({ label: 'Database patch (Normal)' });
      // The template fills in the type and the plans, and asks its question.
      expect(await form.getByLabel('Backout plan').inputValue()).toBe('Restore the snapshot');
      expect(await form.getByLabel('Type').isDisabled()).toBe(true);
      await form.getByLabel('Does it need downtime?').check();
      await form.getByLabel('Title').fill('Tune payroll');
      await form.getByLabel('Find the item').fill('PAY-');
      await form.getByRole('button', { name: 'Add PAY-DB-1' }).click();
      await form.getByRole('button', { name: 'Add PAY-APP-1' }).click();
      const chosen = form.getByRole('list', { name: 'Items', exact: true }).getByRole('listitem');
      expect(await chosen.allInnerTexts()).toEqual([
        expect.stringMatching(/^PAY-DB-1/),
        expect.stringMatching(/^PAY-APP-1/),
      ]);
      await form.getByLabel('Planned start').fill(local(at));
      await form.getByLabel('Planned end').fill(local(at + 3_600_000));
      await form.getByRole('button', { name: 'Raise change' }).click();
      await page.getByRole('heading', { name: /^CHG-\d+ Tune payroll$/, level: 1 }).waitFor();
      const reasons = await page
        .getByRole('list', { name: 'Risk reasons' })
        .getByRole('listitem')
        .allInnerTexts();
      expect(reasons).toContain('“Does it need downtime?”: yes (+3)');
      expect(reasons).toContain('1 other change in progress on the same or dependent items (+3)');
      expect(reasons).toContainEqual(
        expect.stringMatching(
          /^No successful backup in the last 7 days of PAY-(DB|APP)-1, PAY-(APP|DB)-1 \(\+3\)$/,
        ),
      );
      const conflicts = await page
        .getByRole('list', { name: 'Conflicts' })
        .getByRole('listitem')
        .allInnerTexts();
      expect(conflicts).toContain(`${other.key} “Upgrade PAY-DB-1” also changes PAY-DB-1 at the same time`);
      expect(conflicts).toContain('Outside the maintenance windows of PAY-DB-1');
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });
});
