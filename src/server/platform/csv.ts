/**
 * RFC 4180 CSV (shared: CMDB import and export, audit exports, scheduled reports): quoted fields with doubled quotes, commas and line breaks inside quotes, CRLF or LF rows. Pure
 * functions; a malformed file is a {@link CsvError} naming the line.
 */

import { isUtf8 } from 'node:buffer';

/** A CSV file that cannot be read, with the 1-based line where reading stopped. */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no overlong forms,
 * no encoded surrogates, nothing above U+10FFFF), or -1 when every byte is well-formed.
 */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const x = b[i]!;
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (x < 0x80) n = 0;
    else if (x >= 0xc2 && x <= 0xdf) n = 1;
    else if (x >= 0xe0 && x <= 0xef) {
      n = 2;
      if (x === 0xe0) lo = 0xa0;
      if (x === 0xed) hi = 0x9f;
    } else if (x >= 0xf0 && x <= 0xf4) {
      n = 3;
      if (x === 0xf0) lo = 0x90;
      if (x === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const c = b[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/**
 * Decodes a CSV file's bytes as UTF-8 (a leading byte-order mark is kept for {@link parseCsv} to skip). Bytes
 * that are not UTF-8 (a spreadsheet's Latin-1 export, say) are a {@link CsvError} naming the line and column,
 * never replacement characters stored in the inventory.
 */
export function decodeCsv(bytes: Uint8Array): string {
  // A NUL byte is valid UTF-8 but never text: refused like every NUL at Steward's edge, with where it is.
  const nul = bytes.indexOf(0);
  const bad = nul >= 0 ? nul : isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (bad < 0) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const lineStart = bytes.lastIndexOf(0x0a, bad - 1) + 1;
  const line = bytes.subarray(0, lineStart).filter((x) => x === 0x0a).length + 1;
  const column = [...new TextDecoder().decode(bytes.subarray(lineStart, bad))].length + 1;
  const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  if (bad === nul) throw new CsvError(`a NUL byte at column ${column}: the file is not text`, line);
  throw new CsvError(`not UTF-8 at column ${column} (byte 0x${hex}): save the file as UTF-8 CSV`, line);
}

/** Parses CSV text into rows of fields, each row with the line it starts on. Blank lines are skipped. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = 0;
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  while (i < s.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= s.length) throw new CsvError('a quoted field is not closed', start);
          const c = s[i]!;
          if (c === '"') {
            if (s[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          value += c;
          i++;
        }
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          throw new CsvError('text after a closing quote', line);
        }
      } else {
        while (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          if (s[i] === '"') throw new CsvError('a quote inside an unquoted field', line);
          value += s[i];
          i++;
        }
      }
      fields.push(value);
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '\r') i++;
      if (s[i] === '\n') i++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: start, fields });
  }
  return rows;
}

/** One field, quoted when it must be (and when it could be read as a formula by a spreadsheet). */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // A cell starting with = + - @ runs as a formula in spreadsheets: prefix it so it stays text.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV row (CRLF-terminated, as RFC 4180 says). */
export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
