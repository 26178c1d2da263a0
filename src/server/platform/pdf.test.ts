import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfDocument, textWidth, wrap } from './pdf.js';

/** What a reader needs: the xref table points at each object, startxref at the table. Returns the objects. */
function parse(pdf: Buffer): Map<number, string> {
  const s = pdf.toString('latin1');
  expect(s.startsWith('%PDF-1.4\n')).toBe(true);
  expect(s.endsWith('%%EOF\n')).toBe(true);
  const start = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(s)![1]);
  expect(s.slice(start, start + 5)).toBe('xref\n');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(s.slice(start))!;
  expect(first).toBe('0');
  const table = s.slice(start + `xref\n0 ${count}\n`.length);
  const objects = new Map<number, string>();
  for (let n = 0; n < Number(count); n++) {
    const entry = table.slice(n * 20, n * 20 + 20);
    expect(entry).toMatch(/^\d{10} \d{5} [nf] \n$/);
    if (n === 0) continue;
    const offset = Number(entry.slice(0, 10));
    expect(s.slice(offset, offset + `${n} 0 obj\n`.length)).toBe(`${n} 0 obj\n`);
    const end = s.indexOf('\nendobj\n', offset);
    objects.set(n, s.slice(offset + `${n} 0 obj\n`.length, end));
  }
  expect(table.slice(Number(count) * 20)).toMatch(
    new RegExp(`^trailer\\n<< /Size ${count} /Root 1 0 R /Info 5 0 R >>\\nstartxref\\n`),
  );
  return objects;
}

/** Windows-1252's characters at 0x80–0x9F (Latin-1 elsewhere) that the tests use. */
const CP1252: Record<number, string> = { 0x80: '€', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x97: '—' };

/** The text shown by each page's content stream (`(...) Tj`), unescaped, as Windows-1252 bytes decode. */
function pagesText(objects: Map<number, string>): string[] {
  const out: string[] = [];
  for (const body of objects.values()) {
    const m = /^<< \/Length (\d+) >>\nstream\n/.exec(body);
    if (!m) continue;
    const stream = body.slice(m[0].length, m[0].length + Number(m[1]));
    expect(body.slice(m[0].length + Number(m[1]))).toBe('\nendstream');
    const strings = [...stream.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)].map((t) =>
      t[1]!.replace(/\\([0-7]{3}|.)/g, (_, e: string) =>
        e.length === 3 ? String.fromCharCode(parseInt(e, 8)) : e,
      ),
    );
    out.push([...strings.join('\n')].map((c) => CP1252[c.charCodeAt(0)] ?? c).join(''));
  }
  return out;
}

describe('PDF writer', () => {
  it('writes a PDF 1.4 file whose xref offsets, lengths and text read back', () => {
    const pdf = pdfDocument(
      [
        { text: 'Payroll (recovery) \\ plan', style: 'title' },
        { text: 'Étape — “quoted” 5 € and 日本', style: 'body' },
        { text: 'first item', style: 'bullet' },
      ],
      { title: 'Payroll (DR)', footer: 'Steward' },
    );
    const objects = parse(pdf);
    expect(objects.get(1)).toBe('<< /Type /Catalog /Pages 2 0 R >>');
    expect(objects.get(2)).toContain('/Count 1');
    expect(objects.get(3)).toContain('/BaseFont /Helvetica /Encoding /WinAnsiEncoding');
    expect(objects.get(5)).toMatch(
      /^<< \/Title \(Payroll \\\(DR\\\)\) \/Producer \(Steward\) \/CreationDate \(D:\d{14}Z\) >>$/,
    );
    const [text] = pagesText(objects);
    expect(text).toBe(
      [
        'Payroll (recovery) \\ plan',
        'Étape — “quoted” 5 € and ??',
        '•',
        'first item',
        'Steward    Page 1 of 1',
      ].join('\n'),
    );
  });

  it('wraps long text within the margins and breaks pages, numbering them', () => {
    const long = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    const pdf = pdfDocument([{ text: 'Title', style: 'title' }, { text: long }, { text: 'x'.repeat(300) }], {
      title: 'Long',
    });
    const objects = parse(pdf);
    const pages = pagesText(objects);
    expect(pages.length).toBeGreaterThan(1);
    expect(objects.get(2)).toContain(`/Count ${pages.length}`);
    pages.forEach((p, i) => expect(p.endsWith(`Page ${i + 1} of ${pages.length}`)).toBe(true));
    const words = pages.join('\n').match(/word\d+/g)!;
    expect(words).toHaveLength(3000);
    for (const line of wrap(long, 483, 10)) expect(textWidth(line, 10)).toBeLessThanOrEqual(483);
    expect(wrap('x'.repeat(300), 100, 10).every((l) => textWidth(l, 10) <= 100)).toBe(true);
  });

  it('is read by pdftotext when it is installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
    try {
      const file = join(dir, 'a.pdf');
      writeFileSync(
        file,
        pdfDocument([{ text: 'Recovery order: DB-1, APP-1', style: 'heading' }], { title: 't' }),
      );
      const result = await new Promise<{ code: number | null; out: string } | undefined>((resolve) => {
        const p = spawn('pdftotext', [file, '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', () => resolve(undefined));
        p.on('close', (code) => resolve({ code, out }));
      });
      if (!result) return; // not installed here
      expect(result.code).toBe(0);
      expect(result.out).toContain('Recovery order: DB-1, APP-1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
