/**
 * restic's restore selection (`--include`, `--exclude`, `--iinclude`, `--iexclude`), so that the same flags
 * restore the same items with Steward as with restic:
 * - patterns are restic's (see excludes.ts): `*.txt` or `text` match a name at any depth, `/home/x` only from
 *   the root, `**` spans folders; a match on a folder covers everything below it;
 * - with exclude patterns, an item is restored unless a pattern matches it, and an excluded folder is not entered;
 * - with include patterns, an item is restored when a pattern matches it; a folder that does not match is
 *   entered when something below it could (always for a relative pattern; for an absolute one while the
 *   folder's path is a prefix of it), and created only when something below it is restored;
 * - the `i` variants compare lowercased; include and exclude patterns cannot be mixed.
 */
import { compilePattern, matchPattern, type Pattern } from './excludes.js';

/** The restore filter flags, as restic names them. */
export interface RestoreFilterOptions {
  include?: string[];
  iinclude?: string[];
  exclude?: string[];
  iexclude?: string[];
}

/** What the filter says about one item of the snapshot. */
export interface Selection {
  /** Restore the item itself. */
  selected: boolean;
  /** Enter the folder: something below it may be selected. */
  descend: boolean;
}

interface Compiled {
  raw: string;
  flag: string;
  pattern: Pattern;
  used: boolean;
}

/** Thrown for an unusable combination of filters or a malformed pattern. */
export class RestoreFilterError extends Error {
  override readonly name = 'RestoreFilterError';
}

/** True when an item below `path` (an absolute path's components) could still match `p`. */
function childMayMatch(p: Pattern, comps: string[]): boolean {
  if (!p.absolute) return true;
  // Compare the path with the pattern's first components; `**` matches anything from its position on.
  const n = Math.min(comps.length, p.parts.length);
  for (let i = 0; i < n; i++) {
    const part = p.parts[i];
    if (part === null || part === undefined) return true;
    if (!part.test(comps[i]!)) return false;
  }
  return true;
}

/** restic's restore selection for a set of filter flags; also remembers which patterns matched something. */
export class RestoreSelector {
  private readonly patterns: Compiled[];
  private readonly mode: 'all' | 'include' | 'exclude';

  constructor(opts: RestoreFilterOptions) {
    const compile = (list: string[] | undefined, flag: string, ci: boolean): Compiled[] =>
      (list ?? [])
        .filter((raw) => raw !== '')
        .map((raw) => {
          try {
            return { raw, flag, pattern: compilePattern(ci ? raw.toLowerCase() : raw, ci), used: false };
          } catch (e) {
            throw new RestoreFilterError(`--${flag}: ${e instanceof Error ? e.message : String(e)}`);
          }
        });
    const inc = [...compile(opts.include, 'include', false), ...compile(opts.iinclude, 'iinclude', true)];
    const exc = [...compile(opts.exclude, 'exclude', false), ...compile(opts.iexclude, 'iexclude', true)];
    if (inc.length && exc.length)
      throw new RestoreFilterError('exclude and include patterns are mutually exclusive');
    this.patterns = inc.length ? inc : exc;
    this.mode = inc.length ? 'include' : exc.length ? 'exclude' : 'all';
  }

  /** True when include patterns are given (folders are then created only for what is restored below them). */
  get includes(): boolean {
    return this.mode === 'include';
  }

  /** The selection of the item at `path` (`/a/b`, as in the snapshot). */
  select(path: string, isDir: boolean): Selection {
    if (this.mode === 'all') return { selected: true, descend: isDir };
    let matched = false;
    let child = false;
    const comps = path.split('/').filter((s) => s !== '');
    const lower = comps.map((c) => c.toLowerCase());
    // In restic's order: a negated pattern drops what earlier ones matched.
    for (const c of this.patterns) {
      const cs = c.pattern.caseInsensitive ? lower : comps;
      const m = matchPattern(c.pattern, cs);
      if (m) c.used = true;
      if (c.pattern.negate) {
        matched = matched && !m;
        child = child && !m;
      } else {
        matched = matched || m;
        child = child || (this.mode === 'include' && childMayMatch(c.pattern, cs));
      }
    }
    if (this.mode === 'exclude') return { selected: !matched, descend: !matched && isDir };
    return { selected: matched, descend: child && isDir };
  }

  /** Patterns that matched no item so far, as the user wrote them (`--include *.foo`). */
  unmatched(): string[] {
    return this.patterns.filter((c) => !c.used).map((c) => `--${c.flag} ${c.raw}`);
  }
}
