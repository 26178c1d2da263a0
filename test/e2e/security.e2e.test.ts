// Security incidents and exposure in a real browser: Sam of the security team marks a ticket a security incident
// on its page and adds evidence (the log says its chain is intact); Ann, an agent outside the team, is then told
// the ticket does not exist; the Exposure page shows its empty state. Then a computer reports a vulnerable
// package, an OSV import exposes it and opens a remediation ticket: its item page shows the exposure, which leads
// to the exposure page filtered to it and on to the ticket by its number.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, overflow, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A zip of one OSV record: openssl before 3.0.11-1~deb12u2 on Debian 12 is critical. */
function osvZip(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'osv-e2e-'));
  const src = join(dir, 'src');
  mkdirSync(src);
  const record = {
    id: 'DSA-5500-1',
    modified: '2026-11-01T00:00:00Z',
    summary: 'openssl: remote code execution',
    aliases: ['CVE-2026-5500'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: 'openssl' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }],
      },
    ],
  };
  writeFileSync(join(src, 'DSA-5500-1.json'), JSON.stringify(record));
  execFileSync('zip', ['-q', '-r', join(dir, 'all.zip'), '.'], { cwd: src });
  return readFileSync(join(dir, 'all.zip'));
}

/** Uploads the zip as the admin (the seeding client sends JSON only). */
async function importAdvisories(url: string, email: string, password: string): Promise<void> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const r = await fetch(`${url}/api/v1/exposure/imports`, {
    method: 'POST',
    headers: { cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/zip' },
    body: new Uint8Array(osvZip()),
  });
  expect(r.status, await r.text()).toBe(200);
}

/** A Debian 12 computer reporting openssl 3.0.11-1~deb12u1 through the agent API; returns its item id. */
async function vulnerableComputer(url: string, admin: Awaited<ReturnType<typeof apiAs>>): Promise<string> {
  const { token: enrolment } = (await admin('POST', '/api/v1/agents/enrolment-tokens', {
    uses: 1,
    note: 'e2e',
  })) as { token: string };
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    expect(r.ok, `${path}: ${r.status}`).toBe(true);
    return (await r.json()) as Record<string, string>;
  };
  const { token } = await post('/api/v1/agents/enrol', {
    enrolmentToken: enrolment,
    hostname: 'web-01',
    systemUuid: 'e2e-web-01',
  });
  const report = {
    hostname: 'web-01',
    system: { manufacturer: 'Steward', model: 'Test', serial: 'SER-E2E', uuid: 'e2e-web-01', kind: 'server' },
    cpu: { manufacturer: 'x', brand: 'y', cores: 2 },
    memoryBytes: 1024 ** 3,
    disks: [],
    network: [],
    os: {
      platform: 'linux',
      distro: 'Debian GNU/Linux',
      release: '12',
      kernel: '6.1',
      arch: 'x64',
      id: 'debian',
      versionId: '12',
    },
    software: [
      { name: 'libssl3', version: '3.0.11-1~deb12u1', source: 'openssl', sourceVersion: '3.0.11-1~deb12u1' },
    ],
    peripherals: [],
  };
  const { ciId } = await post('/api/v1/agents/report', report, { authorization: `Bearer ${token}` });
  return ciId!;
}

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

  it('leads from a computer to its exposure and on to the remediation ticket by its number', async () => {
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    const ciId = await vulnerableComputer(server.url, admin);
    const service = (await admin('POST', '/api/v1/cis', {
      classKey: 'service',
      name: 'Webshop',
      custom: {},
    })) as {
      id: string;
    };
    await admin('POST', `/api/v1/cis/${service.id}/relationships`, { type: 'runs_on', toId: ciId });
    await importAdvisories(server.url, server.adminEmail, server.adminPassword);
    const listed = (await admin('GET', `/api/v1/exposures?computerId=${ciId}`)) as {
      items: { tickets: { key: string }[] }[];
    };
    const key = listed.items[0]!.tickets[0]!.key;

    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/inventory/${ciId}`);
      const panel = page.getByRole('region', { name: 'Vulnerability exposure' });
      await panel
        .getByRole('list', { name: 'Open exposures by severity' })
        .getByText('1 open exposure')
        .waitFor();
      await panel.getByText('Critical', { exact: true }).waitFor();
      await panel.getByRole('link', { name: 'Show this item’s exposures' }).click();
      await page.waitForURL(/\/exposure\?computerId=/);
      const exposures = page.getByRole('table', { name: 'Exposures' });
      await exposures.getByText('DSA-5500-1').waitFor();
      const link = exposures
        .getByRole('list', { name: 'Remediation tickets' })
        .getByRole('link', { name: key });
      await link.click();
      await page.getByRole('heading', { name: /Fix DSA-5500-1 \(openssl\) for Webshop/, level: 1 }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
