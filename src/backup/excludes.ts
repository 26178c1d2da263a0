/**
 * Exclude rules for backups, with restic's semantics so that the same flags select the same files:
 * - a pattern is matched component by component against the absolute path; `*`, `?`, `[...]` work
 *   inside one component, `**` spans any number of components;
 * - a pattern not starting with `/` may match at any depth; a match on a directory covers its contents;
 * - `!pattern` re-includes what earlier patterns excluded (the last matching pattern wins);
 * - `--iexclude` compares case-insensitively; exclude files hold one pattern per line, `#` comments,
 *   `$VAR`/`${VAR}` expanded;
 * - `--exclude-if-present name[:header]` empties a directory holding such a file (the folder and the marker
 *   stay, as restic keeps them), `--exclude-caches` is the CACHEDIR.TAG case; `--one-file-system` keeps mount points as empty directories.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The CACHEDIR.TAG signature (bford.info/cachedir) that `--exclude-caches` looks for. */
export const CACHEDIR_SIGNATURE = 'Signature: 8a477f597d28d172789f06886806bc55';

/** A compiled restic pattern. */
export interface Pattern {
  negate: boolean;
  /** Starts with `/`: matched from the root only. */
  absolute: boolean;
  /** One RegExp per path component, or null for `**`. */
  parts: (RegExp | null)[];
  caseInsensitive: boolean;
}

function globToRegExp(glob: string, ci: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]!);
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) throw new Error(`invalid pattern ${JSON.stringify(glob)}: unterminated [`);
      let body = glob.slice(i + 1, close);
      let neg = '';
      if (body.startsWith('^') || body.startsWith('!')) {
        neg = '^';
        body = body.slice(1);
      }
      re += `[${neg}${body.replace(/[\]\\^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, ci ? 'is' : 's');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`);
}

/** Compiles one restic exclude pattern (a leading `!` negates it). */
export function compilePattern(raw: string, caseInsensitive = false): Pattern {
  let p = raw;
  const negate = p.startsWith('!');
  if (negate) p = p.slice(1);
  const absolute = p.startsWith('/');
  // filepath.Clean-like: drop empty and '.' components, so "dir/" and "dir//x" behave as restic's.
  const comps = p.split('/').filter((s) => s !== '' && s !== '.');
  const parts: (RegExp | null)[] = comps.map((s) => (s === '**' ? null : globToRegExp(s, caseInsensitive)));
  if (!absolute) parts.unshift(null);
  return { negate, absolute, parts, caseInsensitive };
}

function matchFrom(parts: (RegExp | null)[], pi: number, comps: string[], ci: number): boolean {
  // Pattern used up: it matched this path or a parent of it, which excludes the path too.
  if (pi === parts.length) return true;
  const p = parts[pi];
  if (p === null || p === undefined) {
    // '**' consumes zero or more components.
    for (let k = ci; k <= comps.length; k++) if (matchFrom(parts, pi + 1, comps, k)) return true;
    return false;
  }
  return ci < comps.length && p.test(comps[ci]!) && matchFrom(parts, pi + 1, comps, ci + 1);
}

/** True when `pattern` matches the absolute `path` (or its components) or one of its parent directories. */
export function matchPattern(pattern: Pattern, path: string | string[]): boolean {
  const comps = typeof path === 'string' ? path.split('/').filter((s) => s !== '') : path;
  return matchFrom(pattern.parts, 0, comps, 0);
}

/** Reads an exclude file: one pattern per line, blank lines and `#` comments skipped, `$VAR` expanded. */
export async function readPatternFile(
  file: string,
  env: Record<string, string | undefined> = {},
): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) =>
      l.replace(
        /\$\{(\w+)\}|\$(\w+)/g,
        (_m, a: string | undefined, b: string | undefined) => env[a ?? b ?? ''] ?? '',
      ),
    );
}

/** Exclude settings as the CLI flags give them. */
export interface ExcludeOptions {
  /** `--exclude` patterns. */
  excludes?: string[];
  /** `--iexclude` patterns (case-insensitive). */
  iexcludes?: string[];
  /** `--exclude-caches`. */
  excludeCaches?: boolean;
  /** `--exclude-if-present name[:header]`. */
  excludeIfPresent?: string[];
  /** `--one-file-system`. */
  oneFileSystem?: boolean;
}

/** Applies {@link ExcludeOptions} while the archiver walks the file system. */
export class ExcludeFilter {
  private readonly patterns: Pattern[];
  private readonly markers: { name: string; header: string | undefined }[];
  readonly oneFileSystem: boolean;

  constructor(opts: ExcludeOptions) {
    this.patterns = [
      ...(opts.excludes ?? []).map((p) => compilePattern(p, false)),
      ...(opts.iexcludes ?? []).map((p) => compilePattern(p, true)),
    ];
    this.markers = (opts.excludeIfPresent ?? []).map((s) => {
      const i = s.indexOf(':');
      return i < 0 ? { name: s, header: undefined } : { name: s.slice(0, i), header: s.slice(i + 1) };
    });
    if (opts.excludeCaches) this.markers.push({ name: 'CACHEDIR.TAG', header: CACHEDIR_SIGNATURE });
    this.oneFileSystem = opts.oneFileSystem ?? false;
  }

  /** The patterns as restic records them in the snapshot's `excludes` field. */
  static describe(opts: ExcludeOptions): string[] {
    return [...(opts.excludes ?? []), ...(opts.iexcludes ?? [])];
  }

  /** True when marker files are configured (lets the walker skip the check). */
  get hasMarkers(): boolean {
    return this.markers.length > 0;
  }

  /** True when the absolute path is excluded by the patterns (the last matching pattern decides). */
  excludedByName(path: string): boolean {
    if (this.patterns.length === 0) return false;
    let excluded = false;
    for (const p of this.patterns) {
      if (p.negate ? excluded : !excluded) {
        if (matchPattern(p, p.caseInsensitive ? path.toLowerCase() : path)) excluded = !p.negate;
      }
    }
    return excluded;
  }

  /** True when the directory holds one of the marker files (with the right header). */
  async excludedByMarker(dir: string | Buffer): Promise<boolean> {
    return (await this.markersIn(dir)).length > 0;
  }

  /**
   * The marker files (with the right header) the directory holds. As restic does, such a directory is kept
   * with its marker file; every other entry of it is left out.
   */
  async markersIn(dir: string | Buffer): Promise<string[]> {
    const found: string[] = [];
    for (const m of this.markers) {
      const file =
        typeof dir === 'string' ? join(dir, m.name) : Buffer.concat([dir, Buffer.from(`/${m.name}`)]);
      try {
        const fh = await open(file, 'r');
        try {
          if (m.header === undefined) {
            found.push(m.name);
            continue;
          }
          const want = Buffer.from(m.header);
          const buf = Buffer.alloc(want.length);
          const { bytesRead } = await fh.read(buf, 0, want.length, 0);
          if (bytesRead === want.length && buf.equals(want)) found.push(m.name);
        } finally {
          await fh.close();
        }
      } catch {
        // A missing or unreadable marker does not exclude.
      }
    }
    return found;
  }
}
