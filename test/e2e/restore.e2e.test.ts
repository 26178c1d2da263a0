// "Get my files back" in a real browser against a real server and a real agent: this machine is enrolled and
// backed up, a file is deleted, the requester who owns the machine picks the computer, a backup and the file in
// the portal and submits; the agent process restores it into a "Restored files <date>" folder beside it, and
// the service request shows the restore and ends resolved with the result. First, a restore asked for while
// the computer's agent is not running is cancelled from the service request's page.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { runCli, startTestServer } from '../support/server.js';
import { CHROMIUM, openBrowser, screenshotDir } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';
import { stewardBinEnv } from '../support/steward-bin.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'steward.js');

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Api = Awaited<ReturnType<typeof apiAs>>;

describe.skipIf(!enabled)('get my files back', () => {
  let server: Server;
  let shots: string;
  let admin: Api;
  let dir: string;
  let src: string;
  let device: string;
  let agent: ChildProcess | undefined;
  let startAgent: () => void;
  let deviceId: string;
  let log = '';
  const rita = { email: 'rita@example.com', name: 'Rita Requester' };

  beforeAll(async () => {
    server = await startTestServer();
    shots = await screenshotDir();
    admin = await apiAs(server.url, server.adminEmail, server.adminPassword);
    dir = mkdtempSync(join(tmpdir(), 'steward-e2e-restore-'));
    src = join(dir, 'home', 'rita');
    mkdirSync(join(src, 'Documents'), { recursive: true });
    writeFileSync(join(src, 'Documents', 'budget.ods'), 'numbers that matter\n');
    writeFileSync(join(src, 'notes.txt'), 'remember the milk\n');
    const { id } = (await admin('POST', '/api/v1/users', {
      ...rita,
      role: 'requester',
      password: PASSWORD,
    })) as { id: string };
    const config = join(dir, 'agent.json');
    const { token } = (await admin('POST', '/api/v1/agents/enrolment-tokens', { note: 'e2e' })) as {
      token: string;
    };
    const enrolled = await runCli(
      ['agent', 'enrol', '--server', server.url, '--token', token, '--config', config],
      {},
    );
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const reported = await runCli(['agent', 'run', '--once', '--json', '--config', config], {});
    const { ciId } = JSON.parse(reported.stdout) as { ciId: string };
    const target = (await admin('POST', '/api/v1/backup/targets', {
      name: 'Server disk',
      location: join(dir, 'store'),
    })) as { id: string };
    await admin('PUT', `/api/v1/backup/repositories/${ciId}`, { targetId: target.id });
    const policy = (await admin('POST', '/api/v1/backup/policies', {
      name: 'Yearly (test)',
      schedule: { kind: 'cron', cron: '0 0 1 1 *', timeZone: 'UTC' },
      paths: { linux: [src] },
      retention: { last: 10 },
      rpoMinutes: 60,
    })) as { id: string };
    await admin('POST', `/api/v1/backup/policies/${policy.id}/assignments`, { scope: 'item', ref: ciId });
    const backup = await runCli(['agent', 'backup', '--config', config], {});
    expect(backup.code, backup.stderr).toBe(0);
    const ci = await fetch(`${server.url}/api/v1/cis/${ciId}`, {
      headers: { authorization: `Bearer ${(await admin('POST', '/api/v1/tokens', { name: 'e2e' })).token}` },
    });
    device = ((await ci.clone().json()) as { name: string }).name;
    await admin(
      'PATCH',
      `/api/v1/cis/${ciId}`,
      { ownerId: id },
      { 'If-Match': ci.headers.get('etag') ?? '' },
    );
    startAgent = () => {
      agent = spawn(
        process.execPath,
        [BIN, 'agent', 'run', '--backup-check', '3600', '--restore-check', '1', '--config', config],
        {
          env: { ...process.env, ...stewardBinEnv() },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      agent.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      agent.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    };
    deviceId = ciId;
  }, 600_000);

  afterAll(async () => {
    agent?.kill('SIGKILL');
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a requester cancels a restore their computer has not started yet', async () => {
    // No agent runs yet: the restore waits for the computer.
    const asRita = await apiAs(server.url, rita.email, PASSWORD);
    const runs = (await admin('GET', `/api/v1/backup/status/${deviceId}`)) as {
      runs: { snapshotId: string }[];
    };
    const asked = (await asRita('POST', '/api/v1/portal/restores', {
      ciId: deviceId,
      snapshotId: runs.runs[0]!.snapshotId,
      paths: [join(src, 'notes.txt')],
    })) as { ticketId: string; ticketKey: string };
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, rita.email, PASSWORD);
      await page.goto(`${server.url}/portal/tickets/${asked.ticketId}`);
      const panel = page.getByRole('region', { name: 'File restore' });
      await panel.getByText('Waiting for the computer', { exact: true }).waitFor();
      await panel.getByRole('button', { name: 'Cancel this restore' }).click();
      await panel.getByRole('button', { name: 'Confirm: cancel this restore' }).click();
      await panel.getByText('Restore cancelled').waitFor();
      await panel.getByText(`${device} will not restore these files.`).waitFor();
      await panel.getByText('Cancelled', { exact: true }).waitFor();
      expect(await panel.getByRole('button', { name: 'Cancel this restore' }).count()).toBe(0);
      await page.screenshot({ path: join(shots, 'restore-0-cancelled.png'), fullPage: true });
      const restores = (await asRita('GET', `/api/v1/backup/restores?ticketId=${asked.ticketId}`)) as {
        items: { state: string }[];
      };
      expect(restores.items.map((r) => r.state)).toEqual(['cancelled']);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 300_000);

  it('a requester picks a deleted file from a backup and their computer restores it', async () => {
    startAgent();
    const before = createHash('sha256')
      .update(readFileSync(join(src, 'notes.txt')))
      .digest('hex');
    unlinkSync(join(src, 'notes.txt'));
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, rita.email, PASSWORD);
      await page.goto(`${server.url}/portal`);
      await page.getByRole('link', { name: 'Get my files back', exact: true }).click();
      await page.getByRole('heading', { name: 'Get my files back', level: 1 }).waitFor();
      await page.getByLabel('Computer').selectOption({ label: device });
      const backup = page.getByLabel('Backup');
      await expect.poll(() => backup.locator('option').count(), { timeout: 60_000 }).toBe(2);
      await backup.selectOption({ index: 1 });
      // The backup opens at the folder it saved; a folder can be opened, and left again.
      await page.getByRole('button', { name: 'Open Documents/' }).click();
      await page.getByLabel('Get back budget.ods').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: `Up to ${src}` }).click();
      await page.getByLabel('Get back notes.txt').check({ timeout: 60_000 });
      const day = new Date().toISOString().slice(0, 10);
      const restoredTo = join(src, `Restored files ${day}`);
      await expect
        .poll(() => page.getByLabel('Where should they go?').locator('option:checked').textContent())
        .toContain(restoredTo);
      await page.screenshot({ path: join(shots, 'restore-1-pick.png'), fullPage: true });
      await page.getByRole('button', { name: 'Get my files back' }).click();

      // The service request: the restore's progress, then the result, and resolved.
      await page.getByText(/Your request REQ-\d+ was opened/).waitFor();
      const panel = page.getByRole('region', { name: 'File restore' });
      await panel.getByText('Restored', { exact: true }).waitFor({ timeout: 120_000 });
      await panel.getByText('Every restored file matches the backup').waitFor();
      await page.getByText(/Your files are back: 1 file/).waitFor({ timeout: 30_000 });
      await page.getByText('Resolved', { exact: true }).first().waitFor();
      await page.screenshot({ path: join(shots, 'restore-2-resolved.png'), fullPage: true });
      const back = join(restoredTo, 'notes.txt');
      expect(createHash('sha256').update(readFileSync(back)).digest('hex'), log).toBe(before);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 300_000);
});
