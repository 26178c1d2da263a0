/**
 * A small PDF writer for text documents (reports, exported plans): PDF 1.4, the standard Helvetica fonts (no
 * embedding), A4 pages with wrapping, page breaks and "Page n of N" footers. Text outside Windows-1252 (what the
 * standard fonts' WinAnsiEncoding covers) is shown as "?". No dependency: what it writes is plain enough to check
 * byte by byte (platform/pdf.test.ts parses it back).
 */

/** A paragraph of the document. */
export interface PdfBlock {
  text: string;
  style?: 'title' | 'heading' | 'subheading' | 'body' | 'small' | 'bullet';
  /** Extra left indent in points. */
  indent?: number;
}

const STYLES = {
  title: { font: 'F2', size: 18, before: 0, after: 8 },
  heading: { font: 'F2', size: 13, before: 12, after: 4 },
  subheading: { font: 'F2', size: 11, before: 8, after: 2 },
  body: { font: 'F1', size: 10, before: 0, after: 4 },
  bullet: { font: 'F1', size: 10, before: 0, after: 2 },
  small: { font: 'F1', size: 8, before: 0, after: 4 },
} as const;

const PAGE = { width: 595.28, height: 841.89, margin: 56 };
const LEADING = 1.3;

/** Widths (1/1000 em) of Helvetica and Helvetica-Bold for codes 32–126, from Adobe's AFM files. */
const REGULAR = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278,
  556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
  556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556,
  333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/** Windows-1252 codes 0x80–0x9F by character, with their Helvetica widths. */
const WIN: Record<string, [number, number]> = {
  '€': [0x80, 556],
  '‚': [0x82, 222],
  '„': [0x84, 333],
  '…': [0x85, 1000],
  '†': [0x86, 556],
  '‡': [0x87, 556],
  '‰': [0x89, 1000],
  '‘': [0x91, 222],
  '’': [0x92, 222],
  '“': [0x93, 333],
  '”': [0x94, 333],
  '•': [0x95, 350],
  '–': [0x96, 556],
  '—': [0x97, 1000],
  '™': [0x99, 1000],
};

/** A character's code in WinAnsiEncoding and its width, or "?" for one the standard fonts cannot show. */
function glyph(ch: string, bold: boolean): [number, number] {
  const c = ch.codePointAt(0)!;
  if (c >= 32 && c <= 126) return [c, (bold ? BOLD : REGULAR)[c - 32]!];
  const win = WIN[ch];
  if (win) return win;
  if (c === 0xa0) return [0x20, 278];
  if (c >= 0xa1 && c <= 0xff) return [c, 556];
  return [0x3f, bold ? 611 : 556];
}

/** The width of `text` in points at `size`. */
export function textWidth(text: string, size: number, bold = false): number {
  let w = 0;
  for (const ch of text) w += glyph(ch, bold)[1];
  return (w * size) / 1000;
}

/** A PDF string literal of `text` in WinAnsiEncoding: ( ) \ escaped, bytes above 126 as octal. */
function literal(text: string, bold: boolean): string {
  let out = '(';
  for (const ch of text) {
    const [code] = glyph(ch, bold);
    if (code === 0x28 || code === 0x29 || code === 0x5c) out += `\\${String.fromCharCode(code)}`;
    else if (code > 126) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(code);
  }
  return `${out})`;
}

/** A word wider than a line, cut into pieces that fit. */
function pieces(word: string, width: number, size: number, bold: boolean): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of word) {
    if (cur && textWidth(cur + ch, size, bold) > width) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/** Splits `text` into lines no wider than `width` at `size` (a word wider than a line is cut). */
export function wrap(text: string, width: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  for (const para of text.replace(/\t/g, '    ').split(/\r?\n/)) {
    let line = '';
    for (const word of para.split(' '))
      for (const piece of textWidth(word, size, bold) > width ? pieces(word, width, size, bold) : [word]) {
        const next = line === '' ? piece : `${line} ${piece}`;
        if (line !== '' && textWidth(next, size, bold) > width) {
          lines.push(line);
          line = piece;
        } else line = next;
      }
    lines.push(line);
  }
  return lines;
}

interface Placed {
  font: 'F1' | 'F2';
  size: number;
  x: number;
  y: number;
  text: string;
}

/** Lays the blocks out on pages: each page is a list of placed lines. */
function layout(blocks: readonly PdfBlock[]): Placed[][] {
  const pages: Placed[][] = [[]];
  const bottom = PAGE.margin + 20;
  let y = PAGE.height - PAGE.margin;
  for (const b of blocks) {
    const st = STYLES[b.style ?? 'body'];
    const bold = st.font === 'F2';
    const indent = (b.indent ?? 0) + (b.style === 'bullet' ? 12 : 0);
    const x = PAGE.margin + indent;
    const lines = wrap(b.text, PAGE.width - PAGE.margin - x, st.size, bold);
    const lh = st.size * LEADING;
    y -= st.before;
    lines.forEach((text, i) => {
      if (y - lh < bottom) {
        pages.push([]);
        y = PAGE.height - PAGE.margin;
      }
      y -= lh;
      const page = pages[pages.length - 1]!;
      if (b.style === 'bullet' && i === 0) page.push({ font: 'F1', size: st.size, x: x - 10, y, text: '•' });
      page.push({ font: st.font, size: st.size, x, y, text });
    });
    y -= st.after;
  }
  return pages;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** The PDF date of `d`: D:YYYYMMDDHHmmSSZ. */
const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** Writes `blocks` as a PDF document titled `title`; `footer` is printed left of the page number. */
export function pdfDocument(
  blocks: readonly PdfBlock[],
  opts: { title: string; footer?: string; now?: Date },
): Buffer {
  const pages = layout(blocks);
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  const firstPage = 6;
  const kids = pages.map((_, i) => `${firstPage + i * 2} 0 R`).join(' ');
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const now = opts.now ?? new Date();
  add(`<< /Title ${literal(opts.title, false)} /Producer (Steward) /CreationDate (${pdfDate(now)}) >>`);
  pages.forEach((placed, i) => {
    const footer = `${opts.footer ? `${opts.footer}    ` : ''}Page ${i + 1} of ${pages.length}`;
    const lines = [
      ...placed,
      { font: 'F1' as const, size: 8, x: PAGE.margin, y: PAGE.margin - 10, text: footer },
    ];
    const content = lines
      .map(
        (l) =>
          `BT /${l.font} ${l.size} Tf ${num(l.x)} ${num(l.y)} Td ${literal(l.text, l.font === 'F2')} Tj ET`,
      )
      .join('\n');
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(PAGE.width)} ${num(PAGE.height)}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${firstPage + i * 2 + 1} 0 R >>`,
    );
    add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  });
  // Every string above is Latin-1 (one byte per character), so string lengths are byte offsets.
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
