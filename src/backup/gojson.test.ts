import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.js';
import {
  encodeNodeName,
  formatRFC3339Nano,
  goJsonString,
  goJsonStringBytes,
  goQuoteBytes,
  goUnquote,
  parseJsonLossless,
  parseRFC3339,
} from './gojson.js';

const q = (s: string | number[]): string =>
  goQuoteBytes(typeof s === 'string' ? Buffer.from(s) : Buffer.from(s));

describe('Go strconv.Quote of names', () => {
  it('keeps printable text and escapes the rest like Go', () => {
    expect(q('plain name.txt')).toBe('plain name.txt');
    expect(q('äöü 日本 😀')).toBe('äöü 日本 😀');
    expect(q('a"b\\c')).toBe('a\\"b\\\\c');
    expect(q('line\nbreak\ttab\r\x07\x08\x0c\x0b')).toBe('line\\nbreak\\ttab\\r\\a\\b\\f\\v');
    expect(q('\x01\x1f\x7f')).toBe('\\x01\\x1f\\x7f');
    expect(q('nb\u00a0sp')).toBe('nb\\u00a0sp');
    expect(q('ls\u2028ps\u2029')).toBe('ls\\u2028ps\\u2029');
    expect(q('zw\u200b')).toBe('zw\\u200b');
    expect(q('\u{e0001}')).toBe('\\U000e0001'); // a format character beyond the BMP
    expect(q("it's")).toBe("it's");
  });

  it('writes invalid UTF-8 bytes as \\x escapes', () => {
    expect(q([0x66, 0xff, 0x6f])).toBe('f\\xffo');
    expect(q([0xc3])).toBe('\\xc3'); // truncated sequence
    expect(q([0xed, 0xa0, 0x80])).toBe('\\xed\\xa0\\x80'); // UTF-8 encoded surrogate
    expect(q([0xc0, 0xaf])).toBe('\\xc0\\xaf'); // overlong
    expect(q([0xef, 0xbf, 0xbd])).toBe('\ufffd'); // a real U+FFFD stays
  });

  it('unquotes what it quotes, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(goUnquote(goQuoteBytes(b)).equals(Buffer.from(b))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => {
        const b = Buffer.from(s, 'utf8');
        expect(goUnquote(goQuoteBytes(b)).equals(b)).toBe(true);
      }),
    );
  });

  it('reads Go escapes it never writes and rejects malformed ones', () => {
    expect(goUnquote('\\101\\x41\\u0041\\U00000041')).toEqual(Buffer.from('AAAA'));
    for (const bad of ['a"b', 'a\\', '\\q', '\\x4', '\\ud800', '\\777', 'a\nb', "\\'"])
      expect(() => goUnquote(bad)).toThrow(FormatError);
  });
});

describe('Go encoding/json strings', () => {
  it('escapes HTML characters, U+2028/9 and controls', () => {
    expect(goJsonString('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goJsonString('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goJsonString('\n\r\t\x00\x1f\x08\x0c')).toBe('"\\n\\r\\t\\u0000\\u001f\\b\\f"');
    expect(goJsonString('\u00a0é😀')).toBe('"\u00a0é😀"');
    expect(goJsonString('x\ud800y')).toBe('"x\\ufffdy"');
  });

  it('replaces invalid UTF-8 by \\ufffd when encoding raw bytes', () => {
    expect(goJsonStringBytes(Buffer.from([0x61, 0xff, 0x62]))).toBe('"a\\ufffdb"');
    expect(goJsonStringBytes(Buffer.from('ok<'))).toBe('"ok\\u003c"');
  });

  it('composes Quote and JSON for node names', () => {
    expect(encodeNodeName(Buffer.from('a<b'))).toBe('"a\\u003cb"');
    expect(encodeNodeName(Buffer.from('say "hi"'))).toBe('"say \\\\\\"hi\\\\\\""');
    expect(encodeNodeName(Buffer.from('new\nline'))).toBe('"new\\\\nline"');
    expect(encodeNodeName(Buffer.from([0xff]))).toBe('"\\\\xff"');
    expect(encodeNodeName(Buffer.from('\u2028'))).toBe('"\\\\u2028"');
  });
});

describe('RFC3339Nano', () => {
  it('formats like Go', () => {
    expect(formatRFC3339Nano({ ns: 1437765652580434775n, offset: 7200 })).toBe(
      '2015-07-24T21:20:52.580434775+02:00',
    );
    expect(formatRFC3339Nano({ ns: 1437765652580000000n, offset: 0 })).toBe('2015-07-24T19:20:52.58Z');
    expect(formatRFC3339Nano({ ns: 1437765652000000000n, offset: -12600 })).toBe('2015-07-24T15:50:52-03:30');
    expect(formatRFC3339Nano(parseRFC3339('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00Z');
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.bigInt({
          min: (-62135596800n + 86400n) * 1_000_000_000n,
          max: (253402300799n - 86400n) * 1_000_000_000n,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ns, min) => {
          const t = { ns, offset: min * 60 };
          expect(parseRFC3339(formatRFC3339Nano(t))).toEqual(t);
        },
      ),
    );
    expect(() => parseRFC3339('2015-07-24 19:20:52Z')).toThrow(FormatError);
  });
});

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exact and matches JSON.parse otherwise', () => {
    const v = parseJsonLossless(
      '{"inode":18446744073709551615,"small":12,"f":1.5,"s":"x\\"12345678901234567","a":[true,null]}',
    );
    expect(v).toEqual({
      inode: 18446744073709551615n,
      small: 12,
      f: 1.5,
      s: 'x"12345678901234567',
      a: [true, null],
    });
    expect(parseJsonLossless('{"a":[1,2,{"b":"c"}]}')).toEqual({ a: [1, 2, { b: 'c' }] });
    expect(() => parseJsonLossless('{"a":12345678901234567890,}')).toThrow(FormatError);
  });
});
