/**
 * Turns the measurements into Markdown: the side-by-side table, the per-step backup statistics, the
 * correctness results, and the "Backup engine vs restic" section of docs/BENCHMARKS.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { HotFunction } from './profile.js';
import type { BackupSummaryJson, Measured, ToolName } from './tools.js';

/** One measured step of one tool. */
export interface StepResult {
  step: StepName;
  tool: ToolName;
  /** Bytes of source data the step covers (the tree backed up, or the tree restored). */
  sourceBytes: number;
  m: Measured;
  summary?: BackupSummaryJson;
  /** Repository size on disk after the step. */
  repoBytes?: number;
  /** 1-minute load average when the step started. */
  load: number;
  /** Position of the tool within the step (1 = ran first). */
  order: number;
  /** Repetition (0-based). */
  rep: number;
  ok: boolean;
  error?: string;
}

/** The measured steps. */
export type StepName = 'backup' | 'rebackup' | 'change' | 'restore' | 'check';

/** Table labels of the steps. */
export const STEP_LABEL: Record<StepName, string> = {
  backup: 'first backup',
  rebackup: 'unchanged re-backup (parent)',
  change: 're-backup after 5 % change',
  restore: 'full restore of latest',
  check: 'check --read-data',
};

const MiB = 1024 * 1024;
const secs = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const mib = (b: number): string => (b / MiB).toFixed(b < 100 * MiB ? 1 : 0);
const rate = (r: StepResult): number => r.sourceBytes / MiB / (r.m.wallMs / 1000);
const rss = (kib: number): string => (kib < 0 ? '?' : `${(kib / 1024).toFixed(0)} MiB`);
const ratio = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');

function median(xs: number[]): number {
  const v = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** The median run of one tool and step over the repetitions (by wall time; RSS and CPU are medians too). */
function pick(results: StepResult[], step: StepName, tool: ToolName): StepResult | undefined {
  const all = results.filter((x) => x.step === step && x.tool === tool);
  if (all.length === 0) return undefined;
  const bad = all.find((x) => !x.ok);
  if (bad) return bad;
  const first = all[0]!;
  return {
    ...first,
    load: median(all.map((x) => x.load)),
    m: {
      ...first.m,
      wallMs: median(all.map((x) => x.m.wallMs)),
      userS: median(all.map((x) => x.m.userS)),
      sysS: median(all.map((x) => x.m.sysS)),
      maxRssKiB: median(all.map((x) => x.m.maxRssKiB)),
    },
  };
}

/** The main table: one row per step, the two tools side by side (medians when repeated). */
export function mainTable(results: StepResult[], steps: StepName[]): string {
  const lines = [
    '| step | restic time | Steward time | restic MiB/s | Steward MiB/s | speed Steward/restic | restic peak RSS | Steward peak RSS | memory Steward/restic | CPU s restic / Steward (×) | load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const step of steps) {
    const r = pick(results, step, 'restic');
    const s = pick(results, step, 'steward');
    if (!r && !s) continue;
    const cell = (x: StepResult | undefined, f: (x: StepResult) => string): string =>
      !x ? '–' : x.ok ? f(x) : 'FAILED';
    const both = r?.ok && s?.ok;
    const cpu = (x: StepResult | undefined): string => (x?.ok ? (x.m.userS + x.m.sysS).toFixed(1) : '–');
    lines.push(
      `| ${STEP_LABEL[step]} | ${cell(r, (x) => `${secs(x.m.wallMs)} s`)} | ${cell(s, (x) => `${secs(x.m.wallMs)} s`)} | ${cell(r, (x) => rate(x).toFixed(0))} | ${cell(s, (x) => rate(x).toFixed(0))} | ` +
        `${both ? `**${ratio(rate(s) / rate(r))}**` : '–'} | ${cell(r, (x) => rss(x.m.maxRssKiB))} | ${cell(s, (x) => rss(x.m.maxRssKiB))} | ` +
        `${both ? `**${ratio(s.m.maxRssKiB / r.m.maxRssKiB)}**` : '–'} | ${cpu(r)} / ${cpu(s)}${both ? ` (${ratio((s.m.userS + s.m.sysS) / (r.m.userS + r.m.sysS))})` : ''} | ${[r, s].map((x) => (x ? x.load.toFixed(1) : '–')).join(' / ')} |`,
    );
  }
  return lines.join('\n');
}

/** Every repetition's wall times, so the spread is visible next to the medians. */
export function spreadTable(results: StepResult[], steps: StepName[]): string {
  const lines = ['| step | restic times (s) | Steward times (s) |', '|---|---|---|'];
  for (const step of steps) {
    const t = (tool: ToolName): string =>
      results
        .filter((x) => x.step === step && x.tool === tool)
        .map((x) => (x.ok ? (x.m.wallMs / 1000).toFixed(1) : 'failed'))
        .join(', ') || '–';
    lines.push(`| ${STEP_LABEL[step]} | ${t('restic')} | ${t('steward')} |`);
  }
  return lines.join('\n');
}

/** What each backup did (both tools should see the same changes), and the repository sizes. */
export function backupTable(results: StepResult[]): string {
  const lines = [
    '| step | tool | files new / changed / unmodified | data blobs | data added | repo size after |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    if (!['backup', 'rebackup', 'change'].includes(r.step) || !r.ok || !r.summary || r.rep !== 0) continue;
    const s = r.summary;
    lines.push(
      `| ${STEP_LABEL[r.step]} | ${r.tool} | ${s.files_new} / ${s.files_changed} / ${s.files_unmodified} | ${s.data_blobs} | ${mib(s.data_added)} MiB | ${r.repoBytes === undefined ? '?' : `${mib(r.repoBytes)} MiB`} |`,
    );
  }
  return lines.join('\n');
}

/** Hot functions of one profile, as a small table. */
export function profileTable(title: string, totalMs: number, rows: HotFunction[]): string {
  const lines = [
    `${title} (${(totalMs / 1000).toFixed(1)} s of samples)`,
    '',
    '| self ms | share | function | where |',
    '|---:|---:|---|---|',
  ];
  for (const r of rows)
    lines.push(`| ${r.selfMs.toFixed(0)} | ${(r.share * 100).toFixed(1)} % | \`${r.name}\` | ${r.where} |`);
  return lines.join('\n');
}

const SECTION = '## Backup engine vs restic';

/** Replaces (or appends) the section in docs/BENCHMARKS.md, creating the file with a short intro if needed. */
export function writeSection(docPath: string, body: string): void {
  const intro =
    '# Benchmarks\n\nMeasured results of the `npm run bench:*` scripts. Each section is written by its benchmark; ' +
    're-run the script to refresh it, and read the machine and load lines before comparing figures.\n';
  const text = existsSync(docPath) ? readFileSync(docPath, 'utf8') : intro;
  const section = `${SECTION}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${SECTION}\n`);
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n\n${section}`;
  else {
    const after = text.indexOf('\n## ', start + SECTION.length);
    next = text.slice(0, start) + section + (after < 0 ? '' : `\n${text.slice(after + 1)}`);
  }
  writeFileSync(docPath, next.endsWith('\n') ? next : `${next}\n`);
}
