/**
 * RFC 4180 CSV: quoted fields with doubled quotes, commas and line breaks inside quotes, CRLF or LF rows. Pure
 * functions; a malformed file is a {@link CsvError} naming the line.
 */

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
