// A business service's backups in a real browser: a laptop enrolled and reported through the API, its last good
// backup 26 hours old against a 24-hour target, and the Payroll service running on it. An admin opening Payroll
// in the inventory sees the service in breach, the laptop and the incident Steward opened about it; an agent,
// who may not see backups, sees the service without the panel.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { reportOf } from '../support/devices.js';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('a service’s backups on its inventory page', () => {
  let server: Server;
  let payroll: string;
  const agent = { email: 'ava@example.com', name: 'Ava Agent' };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', { ...agent, role: 'agent', password: PASSWORD });
    const anonymous = async (path: string, body: unknown, token?: string) => {
      const r = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as Record<string, string>;
    };
    const uuid = randomUUID();
    const { token: enrolment } = await admin('POST', '/api/v1/agents/enrolment-tokens', { note: 'e2e' });
    const { token } = await anonymous('/api/v1/agents/enrol', {
      enrolmentToken: enrolment,
      hostname: 'LAPTOP-RITA',
      systemUuid: uuid,
    });
    const { ciId } = await anonymous('/api/v1/agents/report', reportOf('LAPTOP-RITA', uuid), token);
    const policy = await admin('POST', '/api/v1/backup/policies', {
      name: 'Laptops, daily',
      schedule: { kind: 'cron', cron: '0 12 * * *', timeZone: 'UTC' },
      retention: { daily: 7 },
      rpoMinutes: 24 * 60,
    });
    await admin('POST', `/api/v1/backup/policies/${policy.id}/assignments`, { scope: 'item', ref: ciId });
    const started = Date.now() - 26 * 3_600_000 - 300_000;
    await anonymous(
      '/api/v1/agents/backup/runs',
      {
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date(started + 60_000).toISOString(),
        status: 'succeeded',
        snapshotId: 'ab'.repeat(32),
        filesNew: 3,
        filesChanged: 0,
        filesUnmodified: 0,
        bytesProcessed: 100,
        bytesAdded: 100,
        warnings: [],
        error: null,
      },
      token,
    );
    payroll = (await admin('POST', '/api/v1/cis', { classKey: 'service', name: 'Payroll' })).id;
    await admin('POST', `/api/v1/cis/${payroll}/relationships`, { type: 'runs_on', toId: ciId });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('shows admins the worst recovery point and its incident, and agents nothing of it', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.goto(`${server.url}/inventory/${payroll}`);
      await page.getByRole('heading', { name: 'Payroll', level: 1 }).waitFor();
      const panel = page.getByRole('region', { name: 'Backups' });
      await panel.getByText('RPO breached').first().waitFor();
      const list = panel.getByRole('list', { name: 'Computers it depends on' });
      await list.getByRole('link', { name: 'LAPTOP-RITA' }).waitFor();
      await list.getByText('26 h at risk (target 24 h)').waitFor();
      await list.getByRole('link', { name: /^INC-\d+$/ }).click();
      await page
        .getByRole('heading', { name: /^INC-\d+ · Backups of LAPTOP-RITA are 26 hours old \(target 24 h\)$/ })
        .waitFor();

      await page.context().clearCookies();
      await signIn(page, server.url, agent.email, PASSWORD);
      await page.goto(`${server.url}/inventory/${payroll}`);
      await page.getByRole('heading', { name: 'Payroll', level: 1 }).waitFor();
      await page.getByRole('region', { name: 'Relationships' }).waitFor();
      if ((await page.getByRole('region', { name: 'Backups' }).count()) !== 0)
        throw new Error('an agent sees the Backups panel');
      if (errors.length > 0) throw new Error(errors.join('\n'));
    } finally {
      await close();
    }
  });
});
