// A disaster-recovery drill in a real browser against a real server: Payroll runs on pay-app, which depends
// on pay-db, which runs on pay-host; each machine is backed up by the engine into the repository Steward made
// for it. A manager opens Payroll's plan, runs a drill, watches the server restore and verify the three machines
// in recovery order, ticks the runbook's step off, and reads the evidence, checked against the audit trail.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup } from '../../src/backup/archiver.js';
import { openBackend } from '../../src/backup/backend/location.js';
import { Repository } from '../../src/backup/repository.js';
import { reportOf } from '../support/devices.js';
import { requireComponent } from '../support/requires.js';
import { startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(!enabled)('disaster-recovery drills', () => {
  let server: Server;
  let dir: string;
  let planId: string;
  const mia = { email: 'mia@example.com', name: 'Mia Manager' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-e2e-drills-'));
    mkdirSync(join(dir, 'scratch'));
    server = await startTestServer({
      env: { STEWARD_JOBS_POLL_MS: '100', STEWARD_UPLOAD_DIR: join(dir, 'scratch') },
    });
    const admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await admin('POST', '/api/v1/users', { ...mia, role: 'manager', password: PASSWORD });
    const target = (await admin('POST', '/api/v1/backup/targets', {
      name: 'Server disk',
      location: join(dir, 'store'),
    })) as { id: string };
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const r = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      expect(r.ok, await r.clone().text()).toBe(true);
      return (await r.json()) as Record<string, string>;
    };
    const machine = async (hostname: string) => {
      const { token: enrolment } = (await admin('POST', '/api/v1/agents/enrolment-tokens', {
        uses: 1,
        note: 'e2e',
      })) as { token: string };
      const uuid = randomUUID();
      const { token } = await post('/api/v1/agents/enrol', {
        enrolmentToken: enrolment,
        hostname,
        systemUuid: uuid,
      });
      const { ciId } = await post('/api/v1/agents/report', reportOf(hostname, uuid), {
        authorization: `Bearer ${token!}`,
      });
      await admin('PUT', `/api/v1/backup/repositories/${ciId!}`, { targetId: target.id });
      const access = (await (
        await fetch(`${server.url}/api/v1/agents/backup`, { headers: { authorization: `Bearer ${token!}` } })
      ).json()) as { repositoryPassword: string };
      const src = join(dir, 'machines', hostname);
      mkdirSync(join(src, 'etc'), { recursive: true });
      writeFileSync(join(src, 'etc', 'service.conf'), `name=${hostname}\n`);
      writeFileSync(join(src, 'data.bin'), randomBytes(100_000));
      const backend = await openBackend(join(dir, 'store', `steward-${ciId!}`), {});
      const repo = await Repository.open(backend, access.repositoryPassword);
      await backup(repo, { targets: [src], hostname, workers: false });
      await backend.close();
      return ciId!;
    };
    const host = await machine('pay-host');
    const db = await machine('pay-db');
    const app = await machine('pay-app');
    const payroll = (
      (await admin('POST', '/api/v1/cis', { classKey: 'service', name: 'Payroll', status: 'deployed' })) as {
        id: string;
      }
    ).id;
    await admin('POST', `/api/v1/cis/${payroll}/relationships`, { type: 'runs_on', toId: app });
    await admin('POST', `/api/v1/cis/${app}/relationships`, { type: 'depends_on', toId: db });
    await admin('POST', `/api/v1/cis/${db}/relationships`, { type: 'runs_on', toId: host });
    planId = (
      (await admin('POST', '/api/v1/dr/plans', {
        serviceId: payroll,
        name: 'Payroll',
        rtoMinutes: 240,
        rpoMinutes: 60,
        reviewDue: '2027-06-30',
        steps: [{ title: 'Check the pay run' }],
      })) as { id: string }
    ).id;
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a drill from the plan page, ticks the runbook off and reads the evidence', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, mia.email, PASSWORD);
      await page.goto(`${server.url}/dr/plans/${planId}`);
      await page.getByRole('heading', { name: 'Payroll', level: 1 }).waitFor();
      await page.getByText('This plan has not been drilled yet.').waitFor();
      await page.getByRole('button', { name: 'Run a drill now' }).click();

      await page.getByRole('heading', { name: 'Drill of the Payroll plan', level: 1 }).waitFor();
      const steps = page.getByRole('table', { name: 'Drill steps' });
      const step = (n: number) => steps.getByRole('row', { name: `Step ${n}` });
      // The server restores the three machines in recovery order, then waits for the runbook.
      await step(3).getByText('2 of 2 files restored and verified').waitFor({ timeout: 240_000 });
      for (const [n, name] of [
        [1, 'pay-host'],
        [2, 'pay-db'],
        [3, 'pay-app'],
      ] as const) {
        expect(await step(n).innerText()).toMatch(
          new RegExp(`Restore ${name}[\\s\\S]*passed[\\s\\S]*2 of 2 files restored and verified`, 'i'),
        );
      }
      await step(4).getByRole('button', { name: 'Tick off' }).click();
      await step(4).getByText(`Ticked off by ${mia.email}`).waitFor();
      await page.getByRole('region', { name: 'Outcome' }).getByText('Passed', { exact: true }).waitFor();

      // The evidence: its hash, checked against the audit trail, and the record itself.
      const evidence = page.getByRole('region', { name: 'Evidence' });
      const sha = await evidence.getByLabel('Evidence SHA-256').innerText();
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
      await evidence.getByRole('button', { name: 'Check against the audit trail' }).click();
      await evidence
        .getByText(/^Evidence intact: the evidence is the one recorded in the audit trail/)
        .waitFor();
      await evidence.getByText('The evidence record').click();
      const record = JSON.parse(await evidence.getByLabel('Evidence record').innerText()) as {
        status: string;
        ranBy: string;
        steps: { device?: string; verifiedFiles?: number; snapshot?: { id: string } }[];
      };
      expect(record.status).toBe('passed');
      expect(record.ranBy).toBe(mia.email);
      expect(record.steps.map((s) => s.device ?? null)).toEqual(['pay-host', 'pay-db', 'pay-app', null]);
      expect(record.steps[1]!.verifiedFiles).toBe(2);
      expect(record.steps[1]!.snapshot!.id).toMatch(/^[0-9a-f]{64}$/);

      // Back on the plan: the drill in its history, and the plan verified.
      await page.getByRole('link', { name: 'Payroll' }).first().click();
      const drills = page.getByRole('table', { name: 'Drills' });
      await drills.getByText('Passed', { exact: true }).waitFor();
      await page
        .getByLabel('Drill trend')
        .getByText(/1 drill: 1 passed, 0 failed/)
        .waitFor();

      // The drill schedule: set in a form whose mistakes are shown by field, then read as a sentence.
      const schedule = page.getByRole('region', { name: 'Drill schedule' });
      await schedule.getByText('This plan is not drilled on a schedule.').waitFor();
      await schedule.getByRole('button', { name: 'Set a schedule' }).click();
      await schedule.getByLabel('When').fill('first monday');
      await schedule.getByLabel('Time zone').fill('Berlin');
      await schedule.getByRole('button', { name: 'Save schedule' }).click();
      await schedule.getByText('Not a time zone (e.g. Europe/Berlin or UTC)').waitFor();
      await schedule.getByText(/^Not a cron pattern/).waitFor();
      await schedule.getByLabel('Time zone').fill('Europe/Berlin');
      await schedule.getByLabel('When').fill('0 9 * * 1#1');
      await schedule.getByRole('button', { name: 'Save schedule' }).click();
      const text = schedule.getByLabel('When the plan is drilled');
      await text.getByText('Every first Monday at 09:00 Europe/Berlin').waitFor();
      expect(await text.innerText()).toMatch(/Next drill due .+\./);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
