import { sql, type RawBuilder } from 'kysely';

/** One part of a search: a word, a "quoted phrase", either of them negated with a leading `-`. */
interface Part {
  text: string;
  phrase: boolean;
  not: boolean;
}

/**
 * Reads a search the way web search engines do (and `websearch_to_tsquery`): words are ANDed, `or` between
 * two parts ORs them, "quotes" make a phrase, a leading `-` excludes. Returns groups of ANDed parts, ORed.
 */
export function parseSearch(q: string): Part[][] {
  const groups: Part[][] = [[]];
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    if (m[3] !== undefined && /^or$/i.test(m[3])) {
      if ((groups.at(-1) ?? []).length > 0) groups.push([]);
      continue;
    }
    const word = m[3];
    const part: Part =
      word === undefined
        ? { text: m[2] ?? '', phrase: true, not: m[1] === '-' }
        : { text: word.replace(/^-(?=.)/, ''), phrase: false, not: word.length > 1 && word.startsWith('-') };
    if (part.text.trim() !== '') groups.at(-1)!.push(part);
  }
  return groups.filter((g) => g.length > 0);
}

/** A word as the documents also hold it: lower case, without the hyphens and other marks inside it. */
export function joinedWord(w: string): string {
  return w
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * A word with its variants: the word as written (so `bob@example.com` still matches as one token), and as a
 * prefix both joined (`wi-fi` → `wifi:*`) and reduced to its English stem (`jams` → `jam:*`, which also finds
 * "jammed"). The stem comes from the database's Snowball dictionary, in the same expression.
 */
function wordQuery(w: string): RawBuilder<unknown> | undefined {
  const joined = joinedWord(w);
  if (joined === '') return undefined;
  const j = sql`${joined}::text`;
  return sql`(plainto_tsquery('simple', ${w}::text) || to_tsquery('simple', ${j} || ':*')
    || to_tsquery('simple', coalesce((ts_lexize('english_stem', ${j}))[1], ${j}) || ':*'))`;
}

function partQuery(p: Part): RawBuilder<unknown> | undefined {
  // Phrases and exclusions stay exact: a phrase means these words in this order, and "-outage" should not
  // drop every ticket that says "out".
  const q = p.phrase
    ? sql`phraseto_tsquery('simple', ${p.text}::text)`
    : p.not
      ? sql`plainto_tsquery('simple', ${p.text}::text)`
      : wordQuery(p.text);
  return q && p.not ? sql`(!! ${q})` : q;
}

/**
 * The `tsquery` for what a person typed into a search box, for documents built with the `simple`
 * configuration and `search_compounds` (migration 0048): prefixes, hyphen-free and stemmed variants of each
 * word, phrases, `or` and `-exclusions`. Only bound parameters reach the SQL.
 */
export function searchQuery(q: string): RawBuilder<unknown> {
  const groups = parseSearch(q)
    .map((g) => g.map(partQuery).filter((x): x is RawBuilder<unknown> => x !== undefined))
    .filter((g) => g.length > 0)
    .map((g) => sql`(${sql.join(g, sql` && `)})`);
  if (groups.length === 0) return sql`websearch_to_tsquery('simple', ${q})`;
  return sql`(${sql.join(groups, sql` || `)})`;
}
