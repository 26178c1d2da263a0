/**
 * The storm scenario's script and bookkeeping: a shop workstation's week of edits (deterministic: the same
 * files, versions and times on every run), the simulated week the agent's own scheduler runs on (its clock is
 * the simulation's; the backups are real), what a restored folder holds against the edits (the work lost), and
 * the report the test writes into docs/STORM.md.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { backupIfDue, type BackupHost } from '../../src/agent/backup.js';
import type { BackupRun } from '../../src/contracts/index.js';
import { prng } from '../interop/fixture.js';
import type { LabDevice } from './agent-lab.js';

const MiB = 1024 * 1024;

/** The working days simulated: Friday 20 November 2026, then Monday to Wednesday of the next week (UTC). */
export const DAYS = ['2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25'];
/** When the files the workstation already has were saved (before the week). */
export const BEFORE = new Date('2026-11-02T09:00:00Z');
/** The agent is installed on the Friday at noon. */
export const INSTALLED = new Date('2026-11-20T12:00:00Z');
/** The shop's machine is on from 09:00 to 17:45; the power cut comes on Wednesday at 14:00, during a backup. */
export const CUT = new Date('2026-11-25T14:00:00Z');
/** The big file exported on Wednesday at 13:40: the 14:00 backup is still uploading it when the power goes. */
export const BIG = 'Exports/catalogue-video.bin';

/** One save of a file: its `version`-th content, written at `at` (its modification time too). */
export interface Edit {
  at: Date;
  path: string;
  version: number;
  size: number;
}

const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00Z`);

/** What the shop's people save each working day, and when. `{n}` numbers invoices, `{day}` names letters. */
const DAY_PLAN: [string, string, number][] = [
  ['09:10', 'Orders.txt', 6_000],
  ['10:20', 'Invoices/INV-{n}.txt', 3_000],
  ['11:35', 'Customers.csv', 20_000],
  ['13:10', 'Orders.txt', 6_500],
  ['14:50', 'Invoices/INV-{n}.txt', 3_200],
  ['16:10', 'Prices.ods', 40_000],
  ['17:20', 'Letters/{day}.odt', 12_000],
];

/** The files the workstation already has, saved before the week (once each). */
const INITIAL: [string, number][] = [
  ['Orders.txt', 5_000],
  ['Customers.csv', 18_000],
  ['Prices.ods', 38_000],
  ['Letters/welcome.odt', 9_000],
  ['Photos/shop-front.jpg', 300_000],
];

/** Every save, in time order: the files there before the week, then the days' work up to the power cut. */
export function weekOfEdits(): Edit[] {
  const edits: Edit[] = INITIAL.map(([path, size]) => ({ at: BEFORE, path, version: 1, size }));
  const versions = new Map(edits.map((e) => [e.path, 1]));
  let invoice = 0;
  for (const day of DAYS) {
    const plan = [...DAY_PLAN];
    // Wednesday: a catalogue video is exported, and the orders are saved once more before the cut.
    if (day === DAYS.at(-1)) plan.push(['13:40', BIG, 40 * MiB], ['13:55', 'Orders.txt', 7_000]);
    for (const [hhmm, name, size] of plan) {
      const path = name.replace('{n}', String(1000 + ++invoice)).replace('{day}', day);
      const version = (versions.get(path) ?? 0) + 1;
      versions.set(path, version);
      edits.push({ at: at(day, hhmm), path, version, size });
    }
  }
  return edits.filter((e) => e.at < CUT).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The content of a save: a first line naming the file, version and time, then text or random bytes. */
export function contentOf(e: Edit): Buffer {
  const head = Buffer.from(`${e.path} version ${e.version}, saved ${e.at.toISOString()}\n`);
  const seed = createHash('sha256').update(`${e.path}#${e.version}`).digest().readUInt32LE(0);
  const binary = /\.(bin|jpg)$/.test(e.path);
  const line = `${e.path};${e.version};the shop's work of ${e.at.toISOString().slice(0, 10)}\n`;
  const body = binary ? prng(seed, e.size) : Buffer.from(line.repeat(Math.ceil(e.size / line.length)));
  return Buffer.concat([head, body.subarray(0, Math.max(0, e.size - head.length))]);
}

/** Saves `e` under `root`, with its simulated modification time. */
export function applyEdit(root: string, e: Edit): void {
  const file = join(root, e.path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, contentOf(e));
  utimesSync(file, e.at, e.at);
}

/**
 * When the agent looks whether a backup is due: on the hour while the machine is on (09:00 to 17:00; it
 * really looks every 30 seconds, which decides the same), from its installation to the cut.
 */
export function checkTimes(): Date[] {
  const hours = Array.from({ length: 9 }, (_, i) => `${String(9 + i).padStart(2, '0')}:00`);
  return DAYS.flatMap((d) => hours.map((h) => at(d, h))).filter((t) => t >= INSTALLED && t < CUT);
}

/** A workstation in the simulation: its device in Steward and its folder under the policy. */
export interface SimDevice {
  device: LabDevice;
  folder: string;
}

/** A backup the schedule ran in the simulation: on which device, at which simulated time. */
export interface SimRun {
  device: string;
  at: Date;
  run: BackupRun;
}

/**
 * The workstation at simulated time `t`: its clock starts there and runs on with real time (a backup takes
 * what it takes); the test process keeps its priority and backs up on its own thread.
 */
export function hostAt(t: Date): BackupHost {
  const real = Date.now();
  return {
    now: () => new Date(t.getTime() + Date.now() - real),
    lowerPriority: () => undefined,
    workers: false,
  };
}

/**
 * Plays the week: saves every edit into every device's folder at its time, and at every check time asks the
 * agent's scheduler (with the simulation's clock) whether the device's policy has a backup due, which it then
 * runs for real through Steward. Returns the runs made; a failed run stops the simulation.
 */
export async function simulateWeek(devices: SimDevice[], edits: Edit[], checks: Date[]): Promise<SimRun[]> {
  const events = [
    ...edits.map((e) => ({ at: e.at, edit: e })),
    ...checks.map((t) => ({ at: t, edit: undefined })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const runs: SimRun[] = [];
  for (const ev of events) {
    if (ev.edit) {
      for (const d of devices) applyEdit(d.folder, ev.edit);
      continue;
    }
    for (const d of devices) {
      const run = await backupIfDue(d.device.config, d.device.configPath, false, hostAt(ev.at));
      if (!run) continue;
      if (run.status !== 'succeeded')
        throw new Error(`${d.device.name} at ${ev.at.toISOString()}: ${run.error}`);
      runs.push({ device: d.device.name, at: ev.at, run });
    }
  }
  return runs;
}

/** The version of a restored file (from its first line), or null when it is not there. */
function versionIn(file: string): number | null {
  if (!existsSync(file)) return null;
  const m = /version (\d+),/.exec(readFileSync(file).subarray(0, 200).toString('latin1'));
  return m ? Number(m[1]) : null;
}

/** The saves a restored folder does not hold: the work lost. */
export function lostEdits(edits: Edit[], restored: string): Edit[] {
  return edits.filter((e) => (versionIn(join(restored, e.path)) ?? 0) < e.version);
}

/** Every file under `root`, relative to it. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(root, p)).isFile())
    .sort();
}

/**
 * How a restored folder differs from the workstation as it was at `asOf` (every save up to then, nothing
 * after, each file byte for byte): an empty list when it is that state exactly.
 */
export function differencesFrom(edits: Edit[], asOf: Date, restored: string): string[] {
  const latest = new Map<string, Edit>();
  for (const e of edits) if (e.at <= asOf) latest.set(e.path, e);
  const problems: string[] = [];
  const have = filesUnder(restored);
  for (const p of have) if (!latest.has(p)) problems.push(`${p}: not on the workstation then`);
  for (const [p, e] of latest) {
    const file = join(restored, p);
    if (!existsSync(file)) problems.push(`${p}: missing`);
    else if (!readFileSync(file).equals(contentOf(e))) problems.push(`${p}: not version ${e.version}`);
    else if (statSync(file).mtime.getTime() !== e.at.getTime()) problems.push(`${p}: modification time`);
  }
  return problems;
}

/** What one policy's story came to. */
export interface StormOutcome {
  policy: string;
  backups: number;
  lastGood: Date;
  edits: number;
  lost: Edit[];
  restoreMs: number;
  files: number;
  bytes: number;
}

/** A duration as people say it: 50 min, 4 d 20 h. */
const age = (ms: number) => {
  const m = Math.round(ms / 60_000);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h` : `${Math.floor(h / 24)} d ${h % 24} h`;
};
const when = (d: Date) =>
  d.toLocaleString('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** The report's section for one run of the scenario on `database`. */
export function stormSection(database: string, outcomes: StormOutcome[]): string {
  const rows = outcomes.map((o) => {
    const newest = o.lost.at(-1);
    const oldest = o.lost[0];
    return `| ${o.policy} | ${o.backups} | ${when(o.lastGood)} | ${o.lost.length} of ${o.edits} | ${oldest ? age(CUT.getTime() - oldest.at.getTime()) : '–'} | ${newest ? age(CUT.getTime() - newest.at.getTime()) : '–'} | ${(o.restoreMs / 1000).toFixed(1)} s | ${o.files} | ${(o.bytes / MiB).toFixed(1)} MiB |`;
  });
  return [
    `### ${database}`,
    '',
    `Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; power cut ${when(CUT)} (UTC).`,
    '',
    '| policy | backups in the week | last good backup | edits lost | oldest lost edit (age at the cut) | newest lost edit (age at the cut) | restore time | files restored | bytes restored |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}

/** Replaces (or appends) this database's section of `file` (docs/STORM.md), between its markers. */
export function writeStormSection(file: string, database: string, section: string): void {
  const start = `<!-- storm ${database} -->`;
  const end = `<!-- end storm ${database} -->`;
  const block = `${start}\n${section}${end}\n`;
  const doc = readFileSync(file, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  writeFileSync(
    file,
    from >= 0 && to > from
      ? doc.slice(0, from) + block + doc.slice(to + end.length + 1)
      : `${doc.trimEnd()}\n\n${block}`,
  );
}
