// The web app under its Content-Security-Policy in a real browser: every area loads with no policy violation
// (no inline scripts or styles, no eval), and a ticket description's image on another host is never fetched
// (a requester could otherwise make an agent's browser call a tracking pixel).
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** Records every `securitypolicyviolation` event of the page in window.__violations (set up before load). */
const RECORD_VIOLATIONS = `
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '(inline)') + ' ' + (e.sourceFile || ''));
  });
`;

/** The violations the page recorded, plus console messages that name the policy. */
async function violations(page: Page, console: string[]): Promise<string[]> {
  const recorded = await page.evaluate<string[]>('window.__violations ?? []');
  return [...recorded, ...console];
}

describe.skipIf(!enabled)('content security policy', () => {
  let server: Server;
  let tracker: HttpServer;
  let pixelHits = 0;
  let ticketId = '';

  beforeAll(async () => {
    tracker = createServer((_req, res) => {
      pixelHits++;
      res.writeHead(200, { 'Content-Type': 'image/gif' }).end();
    });
    await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
    const pixel = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}/pixel.gif`;
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const ticket = await admin('POST', '/api/v1/tickets', {
      type: 'incident',
      title: 'Screen flickers',
      description: `It flickers.\n\n![screenshot](${pixel})\n\n| when | how often |\n|:--|--:|\n| morning | 3 |`,
    });
    ticketId = ticket.id;
  });

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => tracker?.close(resolve));
  });

  it('loads every area with no violation and never fetches a foreign image', async () => {
    const { page, context, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    const policyMessages: string[] = [];
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) policyMessages.push(m.text());
    });
    await context.addInitScript(RECORD_VIOLATIONS);
    try {
      const first = await page.goto(`${server.url}/sign-in`);
      expect(first?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      for (const [path, heading] of [
        ['/tickets', 'Queue'],
        [`/tickets/${ticketId}`, /Screen flickers/],
        ['/portal', 'Help & requests'],
        ['/inventory', 'Inventory'],
        ['/inventory/classes', /classes/i],
        ['/backups', 'Backups'],
        ['/backups/targets', 'Storage targets'],
        ['/backups/policies/new', 'New backup policy'],
        ['/users', 'Users'],
        ['/teams', 'Teams'],
        ['/settings/routing', 'Routing rules'],
        ['/audit', /audit/i],
        ['/notifications', 'Notifications'],
        ['/tokens', /tokens/i],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).first().waitFor();
        expect(await violations(page, policyMessages), path).toEqual([]);
        if (path === `/tickets/${ticketId}`) {
          await page.getByText('screenshot (image on another site, not loaded)').first().waitFor();
          expect(await page.locator('.markdown td.md-right').first().textContent()).toBe('3');
        }
      }
      await page.goto(`${server.url}/api/docs/`, { waitUntil: 'networkidle' });
      expect(await violations(page, policyMessages), 'API docs').toEqual([]);
      await page
        .getByRole('heading', { name: /Steward API/ })
        .first()
        .waitFor();
      expect(errors).toEqual([]);
      expect(pixelHits).toBe(0);
    } finally {
      await close();
    }
  });
});
