/**
 * CVSS v3.x base scores, computed from the vector as the CVSS v3.1 specification (section 7) defines them, and
 * the qualitative severity of a score (none, low, medium, high, critical).
 */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 0.85, L: 0.62, H: 0.27 },
  UI: { N: 0.85, R: 0.62 },
  S: { U: 0, C: 1 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;
type Metric = keyof typeof WEIGHTS;
const BASE = Object.keys(WEIGHTS) as Metric[];
// Temporal and environmental metrics may follow; they do not change the base score.
const OTHER = new Set([
  'E',
  'RL',
  'RC',
  'CR',
  'IR',
  'AR',
  'MAV',
  'MAC',
  'MPR',
  'MUI',
  'MS',
  'MC',
  'MI',
  'MA',
]);

/** CVSS v3.1's Roundup: the smallest number of one decimal not below the input, free of float error. */
export function roundup(x: number): number {
  const i = Math.round(x * 100_000);
  return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10;
}

/** The base score of a `CVSS:3.0/…` or `CVSS:3.1/…` vector; null when it is not a valid v3 vector. */
export function cvss3BaseScore(vector: string): number | null {
  const [head, ...parts] = vector.trim().split('/');
  if (head !== 'CVSS:3.1' && head !== 'CVSS:3.0') return null;
  const m = new Map<string, string>();
  for (const p of parts) {
    const [k, v, extra] = p.split(':');
    if (!k || !v || extra !== undefined || m.has(k)) return null;
    if (!(k in WEIGHTS) && !OTHER.has(k)) return null;
    m.set(k, v);
  }
  const w = {} as Record<Metric, number>;
  for (const k of BASE) {
    const v = m.get(k);
    const table = WEIGHTS[k] as Record<string, number>;
    if (v === undefined || !(v in table)) return null;
    w[k] = table[v]!;
  }
  const changed = w.S === 1;
  const pr = changed && m.get('PR') === 'L' ? 0.68 : changed && m.get('PR') === 'H' ? 0.5 : w.PR;
  const iss = 1 - (1 - w.C) * (1 - w.I) * (1 - w.A);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * w.AV * w.AC * pr * w.UI;
  if (impact <= 0) return 0;
  return roundup(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

/** Severities, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The qualitative severity of a CVSS score (a score of 0 is "none", kept as low: it was still advised). */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** A distribution's own word for severity (Ubuntu's priorities, Debian's urgencies), or undefined. */
export function severityOfWord(word: string): Severity | undefined {
  const w = word.trim().toLowerCase();
  if (w === 'critical') return 'critical';
  if (w === 'high' || w === 'important') return 'high';
  if (w === 'medium' || w === 'moderate') return 'medium';
  if (w === 'low' || w === 'negligible' || w === 'unimportant') return 'low';
  return undefined;
}
