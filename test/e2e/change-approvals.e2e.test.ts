// Approving changes in a real browser, away from the change list: an approver names a delegate for a period on
// the delegations page, and the delegate then sees the change waiting and approves it in the approver's place;
// an approval e-mail's link (taken from a real SMTP session) shows another signed-in user nothing, and signed in
// as its approver it approves, and the change moves on.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { captureSettings, type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { apiAs, PASSWORD, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Api = Awaited<ReturnType<typeof apiAs>>;

/** `YYYY-MM-DDTHH:mm` of a UTC instant, as a datetime-local input takes it (the browser runs in UTC). */
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe.skipIf(!enabled)('change approvals: delegation and e-mailed links', () => {
  let server: Server;
  let smtp: SmtpCapture;
  let admin: Api;
  const people = {
    anna: { email: 'anna@example.com', name: 'Anna Approver', role: 'manager' },
    dan: { email: 'dan@example.com', name: 'Dan Delegate', role: 'agent' },
    ben: { email: 'ben@example.com', name: 'Ben Approver', role: 'manager' },
    otto: { email: 'otto@example.com', name: 'Otto Other', role: 'agent' },
  };
  const ids: Record<string, string> = {};

  /** A normal change sent for authorisation (the route's CAB decides). */
  const changeForApproval = async (title: string, day: number) => {
    const start = Date.UTC(2031, 4, day, 9);
    const c = (await admin('POST', '/api/v1/changes', {
      type: 'normal',
      title,
      implementationPlan: 'Swap it',
      testPlan: 'Ping everything',
      backoutPlan: 'Swap it back',
      plannedStart: new Date(start).toISOString(),
      plannedEnd: new Date(start + 3_600_000).toISOString(),
    })) as { id: string; key: string };
    for (const to of ['assessment', 'authorisation'])
      await admin('POST', `/api/v1/changes/${c.id}/transitions`, { to });
    return c;
  };

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({ env: captureSettings(smtp) });
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    for (const [k, p] of Object.entries(people))
      ids[k] = ((await admin('POST', '/api/v1/users', { ...p, password: PASSWORD })) as { id: string }).id;
    const cab = (await admin('POST', '/api/v1/teams', {
      name: 'CAB',
      memberIds: [ids.anna, ids.ben],
    })) as { id: string };
    const routes = (await admin('GET', '/api/v1/change-approval-routes')) as {
      items: { route: string; version: number }[];
    };
    for (const r of routes.items)
      await admin(
        'PUT',
        `/api/v1/change-approval-routes/${r.route}`,
        { levels: [{ teamId: cab.id, rule: 'all' }] },
        { 'if-match': `"v${r.version}"` },
      );
  });

  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('lets an approver name a delegate, who then approves in their place', async () => {
    const c = await changeForApproval('Replace the core switch', 5);
    // Ben votes for himself; Anna is away and names Dan.
    const ben = await apiAs(server.url, people.ben.email, PASSWORD);
    await ben('POST', `/api/v1/changes/${c.id}/approvals`, { decision: 'approve', reason: 'Fine' });

    const anna = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(anna.page);
    try {
      const page = anna.page;
      await signIn(page, server.url, people.anna.email, PASSWORD);
      await page.goto(`${server.url}/changes`);
      await page.getByRole('link', { name: 'Delegations' }).click();
      await page.getByRole('heading', { name: 'Approval delegations', level: 1 }).waitFor();
      await page.getByText('No delegation.').waitFor();
      const form = page.getByRole('form', { name: 'Delegate my approvals' });
      await form.getByLabel('Delegate', { exact: true }).selectOption({ label: 'Dan Delegate' });
      await form.getByLabel('From').fill(local(Date.now() - 3_600_000));
      await form.getByLabel('Until').fill(local(Date.now() + 2 * 86_400_000));
      await form.getByLabel('Why').fill('On holiday');
      await form.getByRole('button', { name: 'Delegate' }).click();
      const list = page.getByRole('list', { name: 'Delegations' });
      await list.getByText(/Dan Delegate approves for Anna Approver: .* \(On holiday\)/).waitFor();
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await anna.close();
    }

    const dan = await openBrowser({ width: 1280, height: 900 });
    const danErrors = watchPage(dan.page);
    try {
      const page = dan.page;
      await signIn(page, server.url, people.dan.email, PASSWORD);
      await page.goto(`${server.url}/changes`);
      await page.getByLabel('Status').selectOption('authorisation');
      await page.getByRole('link', { name: c.key }).click();
      await page.getByRole('heading', { name: `${c.key} Replace the core switch`, level: 1 }).waitFor();
      const levels = page.getByRole('list', { name: 'Approval levels' }).getByRole('listitem');
      await levels.filter({ hasText: 'CAB: all (2 needed) — pending' }).waitFor();
      await page.getByRole('textbox', { name: 'Reason' }).fill('Checked the plan for Anna');
      await page.getByRole('button', { name: 'Approve' }).click();
      await levels.filter({ hasText: 'CAB: all (2 needed) — approved' }).waitFor();
      await page
        .getByText(
          'Anna Approver: approved (voted by Dan Delegate in their place) (Checked the plan for Anna)',
        )
        .waitFor();
      await page.getByRole('button', { name: 'Move to implementing' }).waitFor();
      if (danErrors.length > 0) throw new Error(danErrors.join('\n'));
    } finally {
      await dan.close();
    }
    const after = (await admin('GET', `/api/v1/changes/${c.id}`)) as { status: string };
    expect(after.status).toBe('scheduled');
  });

  it('opens an e-mailed approval link: nothing for another user, the change for its approver, who approves', async () => {
    const c = await changeForApproval('Move the mail server', 12);
    const mail = await smtp.waitFor((m) => m.to.includes(people.ben.email) && m.subject.includes(c.key));
    const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(token).toBeDefined();
    const link = `${server.url}/changes/approve#token=${token!}`;
    // Anna approves from the change page, so Ben's vote through the link decides the level.
    const anna = await apiAs(server.url, people.anna.email, PASSWORD);
    await anna('POST', `/api/v1/changes/${c.id}/approvals`, { decision: 'approve', reason: '' });

    const other = await openBrowser({ width: 1280, height: 900 });
    try {
      await signIn(other.page, server.url, people.otto.email, PASSWORD);
      await other.page.goto(link);
      await other.page.getByText('This link does not work').waitFor();
      expect(await other.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      expect(await other.page.getByText('Move the mail server').count()).toBe(0);
    } finally {
      await other.close();
    }

    const ben = await openBrowser({ width: 390, height: 800 });
    const errors = watchPage(ben.page);
    try {
      const page = ben.page;
      // Signed out, the link leads through the sign-in and back, its secret kept.
      await page.goto(link);
      await page.getByLabel('E-mail', { exact: true }).fill(people.ben.email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Approve a change', level: 1 }).waitFor();
      await page.getByText(`${c.key} Move the mail server`).waitFor();
      await page.getByText('Level 1 (CAB) waits for your decision.').waitFor();
      await page.getByRole('textbox', { name: 'Reason' }).fill('Backups are fresh');
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('Your decision is recorded').waitFor();
      await page.getByText(`${c.key} is now: Scheduled.`).waitFor();
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await ben.close();
    }
    const after = (await admin('GET', `/api/v1/changes/${c.id}`)) as {
      status: string;
      approvals: { votes: { by: string; reason: string }[] }[];
    };
    expect(after.status).toBe('scheduled');
    expect(after.approvals[0]!.votes.map((v) => [v.by, v.reason])).toEqual(
      expect.arrayContaining([['Ben Approver', 'Backups are fresh']]),
    );
  });
});
