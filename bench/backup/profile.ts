/**
 * Reads the `.cpuprofile` files that `node --cpu-prof` writes for the Steward child and ranks functions
 * by self time, so the report can name where the engine spends its CPU.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One row of the ranking. */
export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

function location(url: string, line: number, root: string): string {
  if (!url) return '';
  let path = url;
  try {
    if (url.startsWith('file:')) path = fileURLToPath(url);
  } catch {
    // keep the URL
  }
  const rel = path.startsWith(root) ? relative(root, path).replace(/^bench\/\.data\/build\//, '') : path;
  return `${rel}:${line + 1}`;
}

/** The `top` functions by self time of one profile (main thread only: node writes one file per thread). */
export function hotFunctions(file: string, root: string, top = 12): { totalMs: number; rows: HotFunction[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the interval that follows a sample to it.
    const dt = p.timeDeltas[i + 1] ?? 0;
    const n = byId.get(p.samples[i]!);
    if (!n) continue;
    const name = n.callFrame.functionName || '(anonymous)';
    const where = location(n.callFrame.url, n.callFrame.lineNumber, root);
    const key = `${name}@${where}`;
    const e = self.get(key) ?? { name, where, us: 0 };
    e.us += dt;
    self.set(key, e);
    total += dt;
  }
  const rows = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, share: total ? e.us / total : 0 }));
  return { totalMs: total / 1000, rows };
}
