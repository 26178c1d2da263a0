/**
 * Company backups end to end, as an IT team runs them: a real Steward server process, a storage target and a
 * policy with a seconds-long schedule set up through the API, this machine enrolled with `steward agent enrol`,
 * and `steward agent run` as the long-running service. With no further typing the agent backs up on schedule
 * through Steward's endpoint, Steward shows the runs and the device's recovery point, and the stock restic
 * finds the repository sound and restores the files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../support/agent-fleet.js';
import { hasProgram, requireComponent } from '../support/requires.js';
import { runCli } from '../support/server.js';
import { resticAsync } from './restic-helpers.js';

const haveRestic = requireComponent(
  'agent backups',
  hasProgram('restic', ['version']),
  'restic not installed',
);

describe.runIf(haveRestic)('the agent backs up this machine on its policy’s schedule through Steward', () => {
  let fleet: Fleet;
  let dir: string;
  let config: string;

  beforeAll(async () => {
    fleet = await startFleet('agent backup');
    dir = fleet.dir;
  }, 300_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('runs on schedule with no typing on the machine, and the backup restores', async () => {
    const api = fleet.api;
    const src = join(dir, 'home', 'rita');
    mkdirSync(join(src, 'Documents'), { recursive: true });
    writeFileSync(join(src, 'Documents', 'report.odt'), randomBytes(2 * 1024 * 1024));
    writeFileSync(join(src, 'todo.txt'), 'back up everything\n');
    const machine = await fleet.enrolThisMachine('agent');
    const ciId = machine.ciId;
    config = machine.config;
    // Before IT sets anything up, a backup says so.
    const early = await runCli(['agent', 'backup', '--config', config], {});
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/no backup repository or policy/);

    await fleet.backUp(ciId, {
      name: 'Every two seconds (test)',
      schedule: { kind: 'cron', cron: '*/2 * * * * *', timeZone: 'UTC' },
      paths: { linux: [src, join(dir, 'does-not-exist')] },
      retention: { last: 10 },
      rpoMinutes: 60,
    });

    const agent = fleet.startAgent(config, ['--json', '--backup-check', '1']);
    const deadline = Date.now() + 240_000;
    let status: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      status = (await api('GET', `/api/v1/backup/status/${ciId}`)).json;
      const runs = status.runs as { status: string }[];
      if (runs.filter((r) => r.status === 'succeeded').length >= 2) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    agent.child.kill('SIGTERM');
    const runs = status.runs as {
      status: string;
      snapshotId: string;
      filesNew: number;
      filesUnmodified: number;
    }[];
    expect(runs.filter((r) => r.status === 'succeeded').length, agent.log()).toBeGreaterThanOrEqual(2);
    expect(status).toMatchObject({
      state: 'ok',
      policy: 'Every two seconds (test)',
      rpoTargetMinutes: 60,
      lastRunStatus: 'succeeded',
    });
    expect(runs.at(-1)!.filesNew).toBe(2);
    expect(runs[0]!.filesUnmodified).toBe(2);

    const devices = (await api('GET', '/api/v1/backup/status')).json.devices as {
      ciId: string;
      state: string;
    }[];
    expect(devices.find((d) => d.ciId === ciId)?.state).toBe('ok');

    // The stock restic, given the repository on the target and the password Steward keeps, finds it sound.
    const access = (await api('GET', '/api/v1/agents/backup', undefined, machine.token)).json as {
      repositoryPassword: string;
    };
    const env = {
      RESTIC_REPOSITORY: join(dir, 'store', `steward-${ciId}`),
      RESTIC_PASSWORD: access.repositoryPassword,
    };
    const check = await resticAsync(['check', '--read-data'], env);
    expect(check.stdout).toMatch(/no errors were found/);
    const out = join(dir, 'restored');
    expect((await resticAsync(['restore', 'latest', '--target', out], env)).status).toBe(0);
    const sum = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(sum(join(out, src, 'Documents', 'report.odt'))).toBe(sum(join(src, 'Documents', 'report.odt')));
  }, 400_000);

  it('refuses a run report for a device the token does not own, and bad reports', async () => {
    const api = fleet.api;
    const bogus = await api('POST', '/api/v1/agents/backup/runs', {}, 'stw_agent_' + 'x'.repeat(43));
    expect(bogus.status).toBe(400);
    const agentToken = (JSON.parse(readFileSync(config, 'utf8')) as { token: string }).token;
    const base = {
      startedAt: '2026-12-07T10:00:00Z',
      finishedAt: '2026-12-07T09:00:00Z',
      status: 'succeeded',
      snapshotId: 'a'.repeat(64),
      filesNew: 0,
      filesChanged: 0,
      filesUnmodified: 0,
      bytesProcessed: 0,
      bytesAdded: 0,
      warnings: [],
      error: null,
    };
    const backwards = await api('POST', '/api/v1/agents/backup/runs', base, agentToken);
    expect(backwards.status).toBe(400);
    const failedWithSnapshot = await api(
      'POST',
      '/api/v1/agents/backup/runs',
      { ...base, finishedAt: '2026-12-07T11:00:00Z', status: 'failed' },
      agentToken,
    );
    expect(failedWithSnapshot.status).toBe(400);
    const unknown = await api(
      'POST',
      '/api/v1/agents/backup/runs',
      { ...base, finishedAt: '2026-12-07T11:00:00Z' },
      'stw_agent_' + 'x'.repeat(43),
    );
    expect(unknown.status).toBe(401);
  });
});
