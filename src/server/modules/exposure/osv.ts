/**
 * OSV records (https://ossf.github.io/osv-schema/): the fields exposure uses, validated, and the record reduced to
 * an advisory with its affected packages in the ecosystems Steward matches. Each affected package keeps its
 * ECOSYSTEM ranges, events sorted by the ecosystem's own version ordering, and its `versions` list; every
 * version in them must be one of that ordering (a record naming `1.0 beta` for Debian is refused).
 */
import { z } from 'zod';
import { cvss3BaseScore, type Severity, severityOfScore, severityOfWord } from './cvss.js';
import { orderingOf } from './versions/index.js';

const Str = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\0'), 'contains a NUL character');
const Event = z.union([
  z.object({ introduced: Str(200) }),
  z.object({ fixed: Str(200) }),
  z.object({ last_affected: Str(200) }),
  z.object({ limit: Str(200) }),
]);
const Range = z.object({
  type: z.enum(['ECOSYSTEM', 'SEMVER', 'GIT']),
  events: z.array(Event).min(1).max(1000),
});
const Affected = z.object({
  package: z.object({ ecosystem: Str(200).min(1), name: Str(500).min(1) }).optional(),
  ranges: z.array(Range).max(100).optional(),
  versions: z.array(Str(200)).max(100_000).optional(),
  severity: z.array(z.object({ type: Str(50), score: Str(500) })).optional(),
});
const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an RFC 3339 time');

/** The OSV fields Steward reads; others are allowed and ignored. */
export const OsvRecord = z.object({
  schema_version: Str(20).optional(),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/, 'not an OSV id'),
  modified: Timestamp,
  published: Timestamp.optional(),
  withdrawn: Timestamp.optional(),
  aliases: z.array(Str(200)).max(1000).optional(),
  summary: Str(2000).optional(),
  details: Str(100_000).optional(),
  severity: z
    .array(z.object({ type: Str(50), score: Str(500) }))
    .max(20)
    .optional(),
  affected: z.array(Affected).max(10_000).optional(),
});
export type OsvRecord = z.infer<typeof OsvRecord>;

/** An event of a range, as stored: one kind and its version. */
export type RangeEvent = { introduced: string } | { fixed: string } | { last_affected: string };

/** An affected package in a supported ecosystem. */
export interface AdvisoryPackage {
  ecosystem: string;
  name: string;
  /** Each ECOSYSTEM range's events, sorted by version ("introduced 0" first). */
  ranges: RangeEvent[][];
  versions: string[];
}

/** An advisory as Steward keeps it. */
export interface Advisory {
  id: string;
  modified: Date;
  published: Date | null;
  withdrawn: boolean;
  summary: string;
  details: string;
  aliases: string[];
  severity: Severity;
  cvssScore: number | null;
  cvssVector: string | null;
  packages: AdvisoryPackage[];
}

const versionOf = (e: RangeEvent) =>
  'introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : e.last_affected;

/** The severity of a record: the highest CVSS v3 base score it gives, else a distribution's own word. */
function severityOf(r: OsvRecord): Pick<Advisory, 'severity' | 'cvssScore' | 'cvssVector'> {
  const all = [...(r.severity ?? []), ...(r.affected ?? []).flatMap((a) => a.severity ?? [])];
  let best: { score: number; vector: string } | undefined;
  for (const s of all) {
    if (s.type !== 'CVSS_V3') continue;
    const score = cvss3BaseScore(s.score);
    if (score === null) throw new Error(`severity: not a CVSS v3 vector: ${s.score.slice(0, 100)}`);
    if (!best || score > best.score) best = { score, vector: s.score };
  }
  if (best) return { severity: severityOfScore(best.score), cvssScore: best.score, cvssVector: best.vector };
  for (const s of all) {
    const word = severityOfWord(s.score);
    if (word) return { severity: word, cvssScore: null, cvssVector: null };
  }
  return { severity: 'unknown', cvssScore: null, cvssVector: null };
}

/**
 * An OSV document's text as an advisory; throws an Error saying what is wrong (the import names the file).
 * Affected packages of ecosystems Steward does not match are left out.
 */
export function parseOsv(text: string): Advisory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('not valid JSON');
  }
  const parsed = OsvRecord.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${first?.path.join('.') || 'record'}: ${first?.message ?? 'invalid'}`);
  }
  const r = parsed.data;
  const packages = new Map<string, AdvisoryPackage>();
  (r.affected ?? []).forEach((a, i) => {
    const pkg = a.package;
    const order = pkg && orderingOf(pkg.ecosystem);
    if (!pkg || !order) return;
    const check = (v: string) => {
      if (v !== '0' && !order.valid(v))
        throw new Error(`affected.${i}: not a ${pkg.ecosystem} version: ${v}`);
      return v;
    };
    const ranges = (a.ranges ?? [])
      .filter((g) => g.type === 'ECOSYSTEM')
      .map((g) =>
        g.events
          .filter((e): e is RangeEvent => !('limit' in e))
          .map((e) => (check(versionOf(e)), e))
          .sort((x, y) => {
            const [vx, vy] = [versionOf(x), versionOf(y)];
            if (vx === '0' || vy === '0') return (vx === '0' ? -1 : 0) - (vy === '0' ? -1 : 0);
            return order.compare(vx, vy);
          }),
      );
    const versions = (a.versions ?? []).map(check);
    const key = `${pkg.ecosystem}\0${pkg.name}`;
    const have = packages.get(key);
    if (have) {
      have.ranges.push(...ranges);
      have.versions.push(...versions);
    } else packages.set(key, { ecosystem: pkg.ecosystem, name: pkg.name, ranges, versions });
  });
  return {
    id: r.id,
    modified: new Date(r.modified),
    published: r.published ? new Date(r.published) : null,
    withdrawn: r.withdrawn !== undefined,
    summary: (r.summary ?? '').slice(0, 2000),
    details: (r.details ?? '').slice(0, 20_000),
    aliases: r.aliases ?? [],
    ...severityOf(r),
    packages: [...packages.values()],
  };
}
