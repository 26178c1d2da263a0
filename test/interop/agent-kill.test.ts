/**
 * Issue 22 item 9, an agent killed mid-backup: the real agent service (`steward agent run`) backs up a folder
 * through a real Steward server at its policy's upload limit; while Steward shows the run in progress and
 * packs have reached the storage target, the agent gets SIGKILL. The stock restic then finds the repository
 * sound (once `restic unlock` removed the dead process's stale lock), read straight from the target folder
 * with the password Steward keeps; the restarted agent runs the
 * missed backup at once (the weekly run it missed while "off"), it completes, and the snapshot restores
 * identical. Also: the policy's size cap leaves out the large file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, type RunningAgent, startFleet } from '../support/agent-fleet.js';
import { requireComponent } from '../support/requires.js';
import { prng } from './fixture.js';
import { resticAsync, resticAvailable } from './restic-helpers.js';

const haveRestic = requireComponent('agent killed mid-backup', resticAvailable, 'restic not installed');
const MiB = 1024 * 1024;

/** Pack files in a repository folder. */
function packs(repo: string): string[] {
  const data = join(repo, 'data');
  if (!existsSync(data)) return [];
  return readdirSync(data).flatMap((d) => readdirSync(join(data, d)).filter((f) => /^[0-9a-f]{64}$/.test(f)));
}

const sum = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe.runIf(haveRestic)('an agent killed with SIGKILL in the middle of a backup', () => {
  let fleet: Fleet;

  /** Polls `probe` every half second until it returns a value, or fails with `what` and the agent's log. */
  const until = <T>(what: string, probe: () => Promise<T | undefined>) => fleet.until(what, probe);
  const startAgent = (config: string): RunningAgent =>
    fleet.startAgent(config, ['--json', '--backup-check', '1']);

  beforeAll(async () => {
    fleet = await startFleet('agent kill');
  }, 300_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  it('leaves a valid repository, and the next run completes and restores identical', async () => {
    const { api, dir } = fleet;
    const src = join(dir, 'home', 'omar');
    mkdirSync(join(src, 'Projects'), { recursive: true });
    // Incompressible: 36 MiB make three packs, uploaded at 3 MiB/s.
    for (let i = 0; i < 4; i++) writeFileSync(join(src, 'Projects', `part${i}.bin`), prng(700 + i, 9 * MiB));
    writeFileSync(join(src, 'notes.txt'), 'kill -9 must not hurt\n');
    writeFileSync(join(src, 'disk.img'), prng(799, 11 * MiB)); // over the policy's size cap
    const machine = await fleet.enrolThisMachine('kill');
    const { ciId, config } = machine;
    await fleet.backUp(ciId, {
      name: 'Fridays at 17:00',
      schedule: { kind: 'cron', cron: '0 17 * * 5', timeZone: 'UTC' },
      paths: { linux: [src] },
      retention: { last: 10 },
      rpoMinutes: 8 * 24 * 60,
      uploadLimitKiB: 3 * 1024,
      excludeLargerThan: 10 * MiB,
    });
    // The machine was off for last Friday's run: it last backed up ten days ago.
    writeFileSync(
      `${config}.backup-state.json`,
      JSON.stringify({ lastRun: new Date(Date.now() - 10 * 86400_000).toISOString() }),
    );
    const repo = join(dir, 'store', `steward-${ciId}`);

    // Started, the agent runs the missed backup at once; Steward shows it running; packs reach the target.
    const killed = startAgent(config);
    const running = await until('the backup to show progress', async () => {
      const r = (await api('GET', `/api/v1/backup/status/${ciId}`)).json.running as {
        bytesDone: number;
        percent: number;
        startedAt: string;
        etaSeconds: number | null;
      } | null;
      // Percent shows once the scan has counted what there is (on a busy machine, after the first bytes).
      return r && r.bytesDone > 0 && r.percent > 0 ? r : undefined;
    });
    // Percent counts bytes read; the upload limit holds the last packs back, so it may show 100 already.
    expect(running.percent).toBeLessThanOrEqual(100);
    expect(Date.parse(running.startedAt)).toBeLessThanOrEqual(Date.now());
    await until('a pack in the target', () => Promise.resolve(packs(repo).length > 0 ? true : undefined));
    killed.child.kill('SIGKILL');
    await new Promise((r) => killed.child.once('exit', r));
    expect(packs(repo).length).toBeGreaterThan(0);
    expect(readdirSync(join(repo, 'snapshots'))).toEqual([]);
    // No run was reported: the device has none yet.
    expect((await api('GET', `/api/v1/backup/status/${ciId}`)).json.runs).toEqual([]);

    // The stock restic finds the repository sound, read straight from the target folder.
    const access = (await api('GET', '/api/v1/agents/backup', undefined, machine.token)).json as {
      repositoryPassword: string;
    };
    const env = { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: access.repositoryPassword };
    // The killed agent's lock is left behind: restic sees it as stale (its process is gone) and removes it.
    expect(readdirSync(join(repo, 'locks'))).toHaveLength(1);
    const unlock = await resticAsync(['unlock'], env);
    expect(unlock.status, unlock.stderr).toBe(0);
    expect(readdirSync(join(repo, 'locks'))).toEqual([]);
    const afterKill = await resticAsync(['check'], env);
    expect(afterKill.status, afterKill.stdout + afterKill.stderr).toBe(0);
    expect(afterKill.stdout).toMatch(/no errors were found/);

    // Restarted, the agent runs the missed backup again at once, and it completes.
    const again = startAgent(config);
    const status = await until('the run to be reported', async () => {
      const s = (await api('GET', `/api/v1/backup/status/${ciId}`)).json;
      return (s.runs as unknown[]).length > 0 ? s : undefined;
    });
    const runs = status.runs as {
      status: string;
      snapshotId: string;
      filesNew: number;
      warnings: string[];
    }[];
    expect(runs[0], again.log()).toMatchObject({ status: 'succeeded', filesNew: 5 });
    expect(runs[0]!.warnings).toEqual(['1 files larger than the policy’s size cap were left out']);
    expect(status).toMatchObject({ state: 'ok', running: null, lastRunStatus: 'succeeded' });
    // Done for this week: the agent keeps checking, and does not run again.
    await new Promise((r) => setTimeout(r, 4000));
    expect(((await api('GET', `/api/v1/backup/status/${ciId}`)).json.runs as unknown[]).length).toBe(1);
    again.child.kill('SIGTERM');

    const check = await resticAsync(['check', '--read-data'], env);
    expect(check.stdout, check.stderr).toMatch(/no errors were found/);
    const out = join(dir, 'restored');
    const restored = await resticAsync(['restore', runs[0]!.snapshotId, '--target', out], env);
    expect(restored.status, restored.stderr).toBe(0);
    for (const f of ['notes.txt', ...[0, 1, 2, 3].map((i) => join('Projects', `part${i}.bin`))])
      expect(sum(join(out, src, f)), f).toBe(sum(join(src, f)));
    expect(existsSync(join(out, src, 'disk.img'))).toBe(false);
  }, 600_000);
});
