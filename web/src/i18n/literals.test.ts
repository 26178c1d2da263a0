/// <reference types="node" />
// No UI text outside the catalogue: every page and helper of the web app is scanned for literal text.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLiterals } from './literals';

const WEB_SRC = fileURLToPath(new URL('..', import.meta.url));

/**
 * Folders whose conversion to the catalogue is still under way in other branches. Empty this list as they
 * land: everything not listed here must be clean.
 */
const PENDING: string[] = [];

/** Files that are not UI: the catalogue checker's own messages are for developers reading test output. */
const NOT_UI = ['i18n/check.ts', 'i18n/literals.ts'];

/** Every source file of the web app under `dir`, tests left out, as paths relative to web/src. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    if (!/\.tsx?$/.test(e.name) || /\.test\.tsx?$/.test(e.name) || e.name.endsWith('.d.ts')) return [];
    return [relative(WEB_SRC, path).split('\\').join('/')];
  });
}

describe('UI text comes from the catalogue', () => {
  it('no page, component or helper outside the pending folders writes text of its own', () => {
    const files = sources(WEB_SRC).filter(
      (f) => !NOT_UI.includes(f) && !PENDING.some((p) => f.startsWith(`${p}/`)),
    );
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) =>
      findLiterals(f, readFileSync(join(WEB_SRC, f), 'utf8')).map((l) => `web/src/${f}:${l.line}: ${l.text}`),
    );
    expect(found).toEqual([]);
  });

  it('every pending folder still exists (drop it from the list once converted or gone)', () => {
    const all = sources(WEB_SRC);
    for (const p of PENDING)
      expect(
        all.some((f) => f.startsWith(`${p}/`)),
        p,
      ).toBe(true);
  });

  it('catches literal text, attributes, properties and prose; lets keys, code and punctuation through', () => {
    const fixture = [
      "import { Panel } from '../../ui';", // 1
      'export function Page({ n }: { n: number }) {', // 2
      '  const t = useT();', // 3
      "  const columns = [{ header: 'Number', className: 'cell-strong mono' }];", // 4
      "  const note = n === 1 ? 'Saved.' : t('common.saved');", // 5
      '  return (', // 6
      '    <Panel title="Details" className="panel wide" label={t(\'tickets.title\')}>', // 7
      '      <p>No tickets match.</p>', // 8
      "      <p>{n} · {t('common.none')} — Steward</p>", // 9
      "      <input aria-label={`Select ${n}`} placeholder={n > 1 ? 'Many' : ''} />", // 10
      "      {n > 0 && 'tickets match'}", // 11
      '      <a href="/tickets" rel="noopener noreferrer nofollow">{note}</a>', // 12
      '      <p>Run <code>steward agent run</code></p>', // 13
      '    </Panel>', // 14
      '  );', // 15
      '}', // 16
    ].join('\n');
    expect(findLiterals('Page.tsx', fixture)).toEqual([
      { line: 4, text: 'Number' },
      { line: 5, text: 'Saved.' },
      { line: 7, text: 'Details' },
      { line: 8, text: 'No tickets match.' },
      { line: 10, text: 'Select' },
      { line: 10, text: 'Many' },
      { line: 11, text: 'tickets match' },
      { line: 13, text: 'Run' },
    ]);
  });

  it('finds prose in plain TypeScript helpers too', () => {
    const helper = [
      "export const label = (s: string) => (s === 'in_progress' ? 'In progress' : 'other');",
      "export function Field({ hint = 'Type here', size = 'sm' }: { hint?: string; size?: string }) {}",
    ].join('\n');
    expect(findLiterals('labels.ts', helper)).toEqual([
      { line: 1, text: 'In progress' },
      { line: 2, text: 'Type here' },
    ]);
  });
});
