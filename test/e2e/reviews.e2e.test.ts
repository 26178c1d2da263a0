// Access reviews in a real browser: the admin starts a review of team memberships; Lena, the Network team's lead,
// finds it under Access reviews and revokes Tom's membership; the admin closes the review, which is then kept as
// evidence with its SHA-256 and downloads.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('access reviews', () => {
  let server: Server;
  let admin: Awaited<ReturnType<typeof apiAs>>;
  let teamId = '';
  const lena = { email: 'lena@example.com', name: 'Lena Lead' };
  const tom = { email: 'tom@example.com', name: 'Tom Agent' };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const l = (await admin('POST', '/api/v1/users', { ...lena, role: 'manager', password: PASSWORD })) as {
      id: string;
    };
    const t = (await admin('POST', '/api/v1/users', { ...tom, role: 'agent', password: PASSWORD })) as {
      id: string;
    };
    teamId = (
      (await admin('POST', '/api/v1/teams', { name: 'Network team', memberIds: [l.id, t.id] })) as {
        id: string;
      }
    ).id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('runs a review from start to evidence', async () => {
    const first = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(first.page);
    let reviewUrl = '';
    try {
      const page = first.page;
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Access reviews' })
        .click();
      const form = page.getByRole('form', { name: 'Start an access review' });
      await form.getByLabel('Name').fill('Network access, December');
      await form.getByLabel('Roles').uncheck();
      await form.getByLabel('Who may reveal which password').uncheck();
      await form.getByRole('button', { name: 'Start the review' }).click();
      await page.getByRole('heading', { name: 'Network access, December', level: 1 }).waitFor();
      await page.getByText('0 of 2 decided').waitFor();
      reviewUrl = page.url();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
    } finally {
      await first.close();
    }

    const second = await openBrowser({ width: 1280, height: 900 });
    errors.push(...watchPage(second.page));
    try {
      const page = second.page;
      await signIn(page, server.url, lena.email, PASSWORD);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Access reviews' })
        .click();
      await page.getByText('1 to decide').waitFor();
      await page.getByRole('link', { name: 'Network access, December' }).click();
      const holdings = page.getByRole('table', { name: 'Holdings' });
      // Lena decides Tom's membership, not her own.
      const revoke = holdings.getByRole('button', { name: 'Revoke: Tom Agent, member of Network team' });
      await revoke.waitFor();
      expect(await holdings.getByRole('row').count()).toBe(2);
      await revoke.click();
      await holdings.getByText(/Revoked/).waitFor();
      await page.getByText('1 of 2 decided: 0 confirmed, 1 revoked').waitFor();
    } finally {
      await second.close();
    }
    const team = (await admin('GET', `/api/v1/teams/${teamId}`)) as { memberIds: string[] };
    expect(team.memberIds).toHaveLength(1);

    const third = await openBrowser({ width: 1280, height: 900 });
    errors.push(...watchPage(third.page));
    try {
      const page = third.page;
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(reviewUrl);
      await page.getByRole('button', { name: 'Close the review' }).click();
      await page.getByRole('button', { name: 'Close and keep as evidence' }).click();
      await page.getByText('Closed: the result is kept as evidence').waitFor();
      await page.getByText(/^[0-9a-f]{64}$/).waitFor();
      expect(await page.getByRole('link', { name: 'CSV' }).getAttribute('href')).toContain('format=csv');
      expect(await page.getByRole('button', { name: /^Confirm/ }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await third.close();
    }
  });
});
