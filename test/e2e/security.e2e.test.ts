// Security incidents and exposure in a real browser: Sam of the security team marks a ticket a security incident
// on its page and adds evidence (the log says its chain is intact); Ann, an agent outside the team, is then told
// the ticket does not exist; the Exposure page shows its empty state.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('security incidents', () => {
  let server: Server;
  let ticketId = '';
  const sam = { email: 'sam@example.com', name: 'Sam Security' };
  const ann = { email: 'ann@example.com', name: 'Ann Agent' };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const s = (await admin('POST', '/api/v1/users', { ...sam, role: 'agent', password: PASSWORD })) as {
      id: string;
    };
    await admin('POST', '/api/v1/users', { ...ann, role: 'agent', password: PASSWORD });
    await admin('POST', '/api/v1/teams', { name: 'Security', memberIds: [s.id], security: true });
    ticketId = (
      (await admin('POST', '/api/v1/tickets', {
        type: 'incident',
        title: 'Suspicious login from abroad',
        description: 'Seen in the VPN log',
      })) as { id: string }
    ).id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('marks an incident, keeps evidence, and hides it from everyone else', async () => {
    const first = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(first.page);
    try {
      const page = first.page;
      await signIn(page, server.url, sam.email, PASSWORD);
      await page.goto(`${server.url}/tickets/${ticketId}`);
      const panel = page.getByRole('region', { name: 'Security' });
      await panel.getByRole('button', { name: 'Mark as security incident' }).click();
      await panel.getByText('Only the security team and admins see this ticket.').waitFor();
      const form = panel.getByRole('form', { name: 'Add evidence' });
      await form.getByLabel('Evidence note').fill('VPN log excerpt, 02:14 to 02:20');
      await form.getByLabel('SHA-256 of the evidence (optional)').fill('a'.repeat(64));
      await form.getByRole('button', { name: 'Add to the evidence log' }).click();
      await panel
        .getByRole('list', { name: 'Evidence log' })
        .getByText('VPN log excerpt, 02:14 to 02:20')
        .waitFor();
      await panel.getByText('Chain intact').waitFor();
      expect(await panel.getByRole('link', { name: 'CSV' }).getAttribute('href')).toContain(
        'security-timeline',
      );
      await page.goto(`${server.url}/exposure`);
      await page.getByRole('heading', { name: 'Vulnerability exposure', level: 1 }).waitFor();
      await page.getByText('No business service is exposed.').waitFor();
      expect(await overflow(page)).toBeLessThanOrEqual(0);
    } finally {
      await first.close();
    }
    const second = await openBrowser({ width: 1280, height: 900 });
    errors.push(...watchPage(second.page));
    try {
      const page = second.page;
      await signIn(page, server.url, ann.email, PASSWORD);
      await page.goto(`${server.url}/tickets/${ticketId}`);
      await page
        .getByText(/not found|does not exist|no such ticket/i)
        .first()
        .waitFor();
      expect(await page.content()).not.toContain('Suspicious login from abroad');
      expect(errors).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
