/**
 * Byte-exact reproductions of the Go encoders restic uses: `encoding/json` strings, `strconv.Quote` for node names,
 * `time.RFC3339Nano`, plus a lossless JSON parser (integers beyond 2^53 become bigint: inodes and device ids).
 * Tree ids are hashes of these bytes, so any difference breaks dedup and parent matching with restic.
 */
import { FormatError } from './errors.js';

const HEX = '0123456789abcdef';
const hex2 = (b: number): string => HEX[b >> 4]! + HEX[b & 15]!;
const hex4 = (c: number): string => c.toString(16).padStart(4, '0');

// Characters Go's encoding/json (escapeHTML on) must escape in a string; surrogates stand for invalid UTF-8.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const JSON_SPECIAL = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;

function jsonEscapeCode(c: number): string | undefined {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x08:
      return '\\b'; // Go >= 1.22 (older Go wrote \u0008)
    case 0x0c:
      return '\\f';
    case 0x3c:
    case 0x3e:
    case 0x26:
    case 0x2028:
    case 0x2029:
      return `\\u${hex4(c)}`;
    default:
      return c < 0x20 ? `\\u00${hex2(c)}` : undefined;
  }
}

/** Go `json.Marshal` of a string (with quotes). Lone surrogates stand for invalid UTF-8 and become `\ufffd`. */
export function goJsonString(s: string): string {
  if (!JSON_SPECIAL.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
      } else out += '\\ufffd';
      continue;
    }
    out += jsonEscapeCode(c) ?? s[i]!;
  }
  return out + '"';
}

/**
 * Decodes one UTF-8 sequence at `i` the way Go's utf8.DecodeRune does.
 * Returns [rune, width]; an invalid sequence yields [-1, 1].
 */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const n = b.length - i;
  const cont = (k: number): number => {
    const x = b[i + k];
    return x !== undefined && (x & 0xc0) === 0x80 ? x & 0x3f : -1;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf && n >= 2) {
    const c1 = cont(1);
    if (c1 >= 0) return [((c0 & 0x1f) << 6) | c1, 2];
  } else if (c0 >= 0xe0 && c0 <= 0xef && n >= 3) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 >= 0 && c2 >= 0) {
      const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
      if (r >= 0x800 && !(r >= 0xd800 && r <= 0xdfff)) return [r, 3];
    }
  } else if (c0 >= 0xf0 && c0 <= 0xf4 && n >= 4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (r >= 0x10000 && r <= 0x10ffff) return [r, 4];
    }
  }
  return [-1, 1];
}

// Printable ASCII that neither Go JSON nor strconv.Quote changes.
function isPlainAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26)
      return false;
  }
  return true;
}

/** Go `json.Marshal` of a Go string given as raw bytes (with quotes): invalid UTF-8 becomes `\ufffd`. */
export function goJsonStringBytes(b: Uint8Array): string {
  if (isPlainAscii(b)) return `"${Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1')}"`;
  let out = '"';
  for (let i = 0; i < b.length;) {
    const [r, w] = decodeRune(b, i);
    i += w;
    if (r < 0) out += '\\ufffd';
    else out += jsonEscapeCode(r) ?? String.fromCodePoint(r);
  }
  return out + '"';
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
/** Go `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function goIsPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  return PRINTABLE.test(String.fromCodePoint(r));
}

const SIMPLE_ESC: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
};

/** Go `strconv.Quote(string(b))` without the surrounding quotes: the form restic stores node names in. */
export function goQuoteBytes(b: Uint8Array): string {
  let plain = true;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  let out = '';
  for (let i = 0; i < b.length;) {
    const [r, w] = decodeRune(b, i);
    if (r < 0) {
      out += `\\x${hex2(b[i]!)}`;
      i += 1;
      continue;
    }
    i += w;
    if (r === 0x22 || r === 0x5c) out += `\\${String.fromCharCode(r)}`;
    else if (goIsPrint(r)) out += String.fromCodePoint(r);
    else if (SIMPLE_ESC[r] !== undefined) out += SIMPLE_ESC[r];
    else if (r < 0x20 || r === 0x7f) out += `\\x${hex2(r)}`;
    else if (r < 0x10000) out += `\\u${hex4(r)}`;
    else out += `\\U${r.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/** The JSON literal of a node name: Go JSON of Go Quote of the raw bytes. */
export function encodeNodeName(name: Uint8Array): string {
  if (isPlainAscii(name))
    return `"${Buffer.from(name.buffer, name.byteOffset, name.length).toString('latin1')}"`;
  return goJsonString(goQuoteBytes(name));
}

/** Go `strconv.Unquote('"' + s + '"')` on raw bytes: reverses {@link goQuoteBytes}. Throws {@link FormatError}. */
export function goUnquote(s: string): Buffer {
  if (!/[\\"\n]/.test(s)) return Buffer.from(s, 'utf8');
  const out: number[] = [];
  const pushRune = (r: number): void => {
    for (const x of Buffer.from(String.fromCodePoint(r), 'utf8')) out.push(x);
  };
  const bad = (why: string): never => {
    throw new FormatError(`invalid quoted name ${JSON.stringify(s)}: ${why}`);
  };
  for (let i = 0; i < s.length;) {
    const ch = s.codePointAt(i)!;
    if (ch === 0x22 || ch === 0x0a) bad('unescaped quote or newline');
    if (ch !== 0x5c) {
      if (ch >= 0xd800 && ch <= 0xdfff) bad('lone surrogate');
      pushRune(ch);
      i += ch > 0xffff ? 2 : 1;
      continue;
    }
    const e = s[i + 1];
    i += 2;
    const simple = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 0x5c, '"': 0x22 }[e ?? ''];
    if (simple !== undefined) {
      out.push(simple);
      continue;
    }
    const hexAt = (n: number): number => {
      const h = s.slice(i, i + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) bad('bad hex escape');
      i += n;
      return parseInt(h, 16);
    };
    if (e === 'x') out.push(hexAt(2));
    else if (e === 'u' || e === 'U') {
      const r = hexAt(e === 'u' ? 4 : 8);
      if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) bad('invalid rune');
      pushRune(r);
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const o = s.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) bad('bad octal escape');
      out.push(parseInt(o, 8));
      i += 2;
    } else bad(`unknown escape \\${e ?? ''}`);
  }
  return Buffer.from(out);
}

/** A Go `time.Time` as restic stores it: the instant in ns since the Unix epoch and the zone offset it was written in. */
export interface GoTime {
  /** Nanoseconds since 1970-01-01T00:00:00Z. */
  ns: bigint;
  /** Seconds east of UTC of the zone the time is shown in. */
  offset: number;
}

/** The offset (seconds east of UTC) of this process's local zone at instant `ns`, as Go's `time.Local` gives. */
export function localOffsetSeconds(ns: bigint): number {
  const ms = Number(ns / 1_000_000n);
  const off = new Date(Number.isFinite(ms) ? ms : 0).getTimezoneOffset();
  return off === 0 ? 0 : -off * 60;
}

/** A {@link GoTime} in the local zone, from ns since the epoch. */
export function localTime(ns: bigint): GoTime {
  return { ns, offset: localOffsetSeconds(ns) };
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Go `t.Format(time.RFC3339Nano)`: trailing zeros of the fraction trimmed, `Z` for UTC. */
export function formatRFC3339Nano(t: GoTime): string {
  const wall = t.ns + BigInt(t.offset) * 1_000_000_000n;
  let sec = wall / 1_000_000_000n;
  let frac = wall % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  const d = new Date(Number(sec) * 1000);
  let s = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  if (frac !== 0n) s += `.${frac.toString().padStart(9, '0').replace(/0+$/, '')}`;
  if (t.offset === 0) return `${s}Z`;
  const zone = Math.trunc(t.offset / 60);
  const a = Math.abs(zone);
  return `${s}${zone < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 time with up to ns precision; throws {@link FormatError}. */
export function parseRFC3339(s: string): GoTime {
  const m = RFC3339.exec(s);
  if (!m) throw new FormatError(`invalid time ${JSON.stringify(s)}`);
  const [, y, mo, d, h, mi, se, fr, , sign, oh, om] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(se), 0);
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60) : 0;
  const frac = fr ? BigInt(fr.padEnd(9, '0')) : 0n;
  return { ns: BigInt(date.getTime()) * 1_000_000n + frac - BigInt(offset) * 1_000_000_000n, offset };
}

/**
 * Go's `time.Time.String()` of a time read from a snapshot: `2006-01-02 15:04:05.999999999 -0700 MST` in the zone
 * it was written in (`+0000 UTC` for `Z`, the zone's numeric offset as its name otherwise).
 */
export function goTimeString(t: GoTime): string {
  const text = formatRFC3339Nano(t);
  const m = /^(\d{4}-\d{2}-\d{2})T([\d:.]+)/.exec(text)!;
  const sign = t.offset < 0 ? '-' : '+';
  const abs = Math.abs(t.offset);
  const zone = `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
  return `${m[1]} ${m[2]} ${zone} ${t.offset === 0 ? 'UTC' : zone}`;
}

/** Go JSON of a time: the quoted RFC3339Nano text. */
export function goJsonTime(t: GoTime): string {
  return `"${formatRFC3339Nano(t)}"`;
}

/** A parsed JSON value; integers that do not fit a double exactly are bigint. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [k: string]: JsonValue };

/** Parses JSON like JSON.parse, but integers beyond Number.MAX_SAFE_INTEGER become bigint (no silent rounding). */
export function parseJsonLossless(text: string): JsonValue {
  const big = /(?<![\w."])-?\d{16,}(?![\d.eE])/;
  // Fast path: nothing that could lose precision.
  if (!big.test(text)) return JSON.parse(text) as JsonValue;
  let i = 0;
  const fail = (): never => {
    throw new FormatError(`invalid JSON at offset ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
      i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const val = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: { [k: string]: JsonValue } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = str();
        ws();
        if (text[i++] !== ':') fail();
        o[k] = val();
        ws();
        const d = text[i++];
        if (d === '}') return o;
        if (d !== ',') fail();
      }
    }
    if (c === '[') {
      i++;
      const a: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(val());
        ws();
        const d = text[i++];
        if (d === ']') return a;
        if (d !== ',') fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return fail();
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const v = val();
  ws();
  if (i !== text.length) fail();
  return v;
}
