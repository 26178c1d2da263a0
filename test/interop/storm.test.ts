/**
 * The storm (issue 23 item 4): two identical shop workstations, one under a weekly policy (Fridays at 17:00),
 * one hourly, live the same simulated week of edits; the agent's own scheduler decides on the simulation's
 * clock when each backup is due, and the backups are real ones through a real Steward server. On Wednesday at
 * 14:00 a power cut destroys both machines: the hourly one's agent process is killed (SIGKILL) in the middle
 * of its 14:00 backup, and both disks are gone. A replacement machine per shop is enrolled and its real agent
 * process restores the old machine's last snapshot. The work lost must be exactly what was saved after the
 * last backup the policy made: since Friday 17:00 for the weekly one, within the last hour for the hourly one.
 * The killed backup leaves a repository the stock restic checks clean and no half snapshot. The restore times
 * and losses go into docs/STORM.md.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDue, stateFileOf } from '../../src/agent/backup.js';
import { AgentLab, type Json, type LabDevice, packsIn } from '../support/agent-lab.js';
import { requireComponent } from '../support/requires.js';
import {
  BEFORE,
  BIG,
  CUT,
  checkTimes,
  DAYS,
  differencesFrom,
  type Edit,
  lostEdits,
  type SimRun,
  simulateWeek,
  type StormOutcome,
  stormSection,
  weekOfEdits,
  writeStormSection,
} from '../support/storm.js';
import { resticAsync, resticAvailable } from './restic-helpers.js';

const haveRestic = requireComponent('the storm scenario', resticAvailable, 'restic not installed');
const REPORT = join(import.meta.dirname, '..', '..', 'docs', 'STORM.md');
const HOUR = 3600_000;

/** The two shops' policies; the shop's line uploads at 4 MiB/s. */
const POLICIES = {
  weekly: { name: 'Weekly, Fridays at 17:00', cron: '0 17 * * 5', rpoMinutes: 8 * 24 * 60 },
  hourly: { name: 'Hourly', cron: '0 * * * *', rpoMinutes: 60 },
} as const;
type Shop = keyof typeof POLICIES;

describe.runIf(haveRestic)('the storm: a workstation lost mid-week, restored onto a replacement', () => {
  let lab: AgentLab;
  const shops = {} as Record<Shop, { device: LabDevice; folder: string; repo: string }>;
  const edits = weekOfEdits();
  let runs: SimRun[] = [];
  const outcomes: StormOutcome[] = [];
  const replacements = {} as Record<Shop, { device: LabDevice; log: () => string }>;

  beforeAll(async () => {
    lab = await AgentLab.start('storm');
    const target = await lab.ok(201, 'POST', '/api/v1/backup/targets', {
      name: 'Server disk',
      location: join(lab.dir, 'store'),
    });
    for (const shop of ['weekly', 'hourly'] as const) {
      const device = await lab.device(`${shop}-shop-pc`);
      await lab.repositoryFor(device, target.id as string);
      const folder = join(lab.dir, device.name, 'Shop');
      const p = POLICIES[shop];
      const policy = await lab.ok(201, 'POST', '/api/v1/backup/policies', {
        name: p.name,
        schedule: { kind: 'cron', cron: p.cron, timeZone: 'UTC' },
        paths: { linux: [folder] },
        retention: { last: 100 },
        rpoMinutes: p.rpoMinutes,
        uploadLimitKiB: 4 * 1024,
      });
      await lab.ok(200, 'POST', `/api/v1/backup/policies/${String(policy.id)}/assignments`, {
        scope: 'item',
        ref: device.ciId,
      });
      shops[shop] = { device, folder, repo: join(lab.dir, 'store', `steward-${device.ciId}`) };
    }
  }, 300_000);
  afterAll(() => lab?.stop());

  const runsOf = (shop: Shop) => runs.filter((r) => r.device === shops[shop].device.name);
  const status = async (shop: Shop) =>
    (await lab.api('GET', `/api/v1/backup/status/${shops[shop].device.ciId}`)).json;

  it('runs each policy’s backups when its schedule says, on the simulated clock', async () => {
    runs = await simulateWeek(Object.values(shops), edits, checkTimes());
    const times = (shop: Shop) => runsOf(shop).map((r) => r.at.toISOString().slice(0, 16));
    // Weekly: once when installed (the week before's Friday run had fired: it runs at once), then at 17:00.
    expect(times('weekly')).toEqual([`${DAYS[0]}T12:00`, `${DAYS[0]}T17:00`]);
    // Hourly: every hour the machine is on; the night's missed runs make one at 09:00.
    expect(times('hourly')).toEqual(checkTimes().map((t) => t.toISOString().slice(0, 16)));
    // Steward recorded each run at its simulated time.
    const s = await status('weekly');
    expect(s.lastGoodAt).toBe(runsOf('weekly').at(-1)!.run.startedAt);
    expect(Date.parse(s.lastGoodAt as string) - Date.parse(`${DAYS[0]}T17:00:00Z`)).toBeLessThan(60_000);
  }, 600_000);

  it('the power cut kills the hourly agent in the middle of its 14:00 backup: no half snapshot, a sound repository', async () => {
    const { device, repo } = shops.hourly;
    const last = runsOf('hourly').at(-1)!;
    expect(last.at.toISOString()).toBe('2026-11-25T13:00:00.000Z');
    // At 14:00 the schedule has the next run due; the agent process runs it (the big export makes it long).
    expect(isDue(POLICIES.hourly.cron, 'UTC', new Date(last.run.startedAt), CUT)).toBe(true);
    const packsBefore = packsIn(repo).length;
    const agent = lab.startAgent(['backup', '--json', '--config', device.configPath]);
    await lab.until('the 14:00 backup to upload a pack', async () => {
      const running = (await status('hourly')).running as { bytesDone: number } | null;
      return running && running.bytesDone > 0 && packsIn(repo).length > packsBefore ? true : undefined;
    });
    agent.child.kill('SIGKILL');
    await new Promise((r) => agent.child.once('exit', r));
    expect(agent.log()).not.toMatch(/snapshot/);
    // The disks are gone, with the agents' configs. The shops get a replacement machine each, enrolled as a
    // new device, its agent started (the checks below run while it starts).
    for (const shop of Object.values(shops)) rmSync(join(lab.dir, shop.device.name), { recursive: true });
    for (const shop of Object.values(shops))
      for (const f of [shop.device.configPath, stateFileOf(shop.device.configPath)]) rmSync(f);
    for (const shop of ['weekly', 'hourly'] as const) {
      const replacement = await lab.device(`${shop}-shop-pc-new`);
      const args = ['--backup-check', '3600', '--restore-check', '1', '--config', replacement.configPath];
      replacements[shop] = { device: replacement, log: lab.startAgent(['run', ...args]).log };
    }

    // Steward still has the 13:00 run as the last one; the repository holds no snapshot of the killed run.
    const s = await status('hourly');
    expect(s.lastGoodAt).toBe(last.run.startedAt);
    expect((s.runs as Json[]).length).toBe(runsOf('hourly').length);
    const access = (await lab.api('GET', '/api/v1/agents/backup', undefined, device.config.token)).json;
    const env = { RESTIC_REPOSITORY: repo, RESTIC_PASSWORD: access.repositoryPassword as string };
    const unlock = await resticAsync(['unlock'], env);
    expect(unlock.status, unlock.stderr).toBe(0);
    const check = await resticAsync(['check'], env);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/no errors were found/);
    const snaps = await resticAsync(['snapshots', '--json'], env);
    const ids = (JSON.parse(snaps.stdout) as { id: string }[]).map((x) => x.id).sort();
    expect(ids).toEqual(
      runsOf('hourly')
        .map((r) => r.run.snapshotId)
        .sort(),
    );
  }, 600_000);

  it('a replacement machine gets the last snapshot back: the work lost is what the policy had not yet backed up', async () => {
    // Ready once it tried its first report (it asks for restore work every second from then on). This test
    // machine is not the one the replacement was enrolled as, so Steward turns the report itself down.
    for (const r of Object.values(replacements))
      await lab.until('the replacement agent to start', () =>
        Promise.resolve(/report/.test(r.log()) ? true : undefined),
      );

    for (const shop of ['weekly', 'hourly'] as const) {
      const old = shops[shop];
      const snapshots = (await lab.api('GET', `/api/v1/backup/browse/${old.device.ciId}/snapshots`)).json
        .snapshots as { id: string; time: string }[];
      const newest = snapshots[0]!;
      const lastRun = runsOf(shop).at(-1)!;
      expect(newest.id).toBe(lastRun.run.snapshotId);
      // Its time is the simulated one the run started at.
      expect(Math.abs(Date.parse(newest.time) - Date.parse(lastRun.run.startedAt))).toBeLessThan(1000);
      const out = join(lab.dir, `${shop}-restored`);
      const started = Date.now();
      const req = await lab.ok(201, 'POST', '/api/v1/backup/restores', {
        sourceCiId: old.device.ciId,
        snapshotId: newest.id,
        paths: [old.folder],
        destinationCiId: replacements[shop].device.ciId,
        destinationFolder: out,
      });
      const restore = await lab.restoreFinished(req.id as string);
      const restoreMs = Date.now() - started;
      expect(restore, replacements[shop].log()).toMatchObject({ state: 'succeeded', verified: true });
      const restored = join(out, 'Shop');

      // The replacement holds the workstation exactly as it was at its last backup.
      const asOf = new Date(lastRun.run.startedAt);
      expect(differencesFrom(edits, asOf, restored)).toEqual([]);
      const lost = lostEdits(edits, restored);
      expect(lost).toEqual(edits.filter((e) => e.at > asOf));
      outcomes.push({
        policy: POLICIES[shop].name,
        backups: runsOf(shop).length,
        lastGood: asOf,
        edits: edits.filter((e) => e.at > BEFORE).length,
        lost,
        restoreMs,
        files: (restore.progress as Json).filesDone as number,
        bytes: (restore.progress as Json).bytesDone as number,
      });
    }

    const [weekly, hourly] = outcomes as [StormOutcome, StormOutcome];
    const saved = (e: Edit) => `${e.path} v${e.version}`;
    // Weekly: everything saved after Friday 17:00 is lost: Friday's 17:20 letter, Monday's and Tuesday's seven
    // saves each, Wednesday's six.
    expect(weekly.lastGood.toISOString().slice(0, 16)).toBe(`${DAYS[0]}T17:00`);
    expect(weekly.lost[0]).toMatchObject({ path: `Letters/${DAYS[0]}.odt` });
    expect(weekly.lost.length).toBe(1 + 7 + 7 + 6);
    // Hourly: only what was saved since 13:00, under an hour before the cut.
    expect(hourly.lost.map(saved)).toEqual(['Orders.txt v9', `${BIG} v1`, 'Orders.txt v10']);
    for (const e of hourly.lost) expect(CUT.getTime() - e.at.getTime()).toBeLessThan(HOUR);
    expect(hourly.lastGood.toISOString().slice(0, 16)).toBe(`${DAYS.at(-1)}T13:00`);

    const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
    writeStormSection(REPORT, database, stormSection(database, outcomes));
    expect(readFileSync(REPORT, 'utf8')).toContain(`<!-- end storm ${database} -->`);
  }, 600_000);
});
