/**
 * Plain-text rules for inbound mail bodies: cutting quoted history and signatures off a reply, and a small
 * HTML-to-text fallback. Pure functions, no I/O.
 */

/** Outlook-style separators: "-----Original Message-----" and its translations. */
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht)\s*-{2,}\s*$/i;
/** The first line of an "On <date>, <name> wrote:" attribution, in the languages clients commonly use. */
const ATTRIBUTION_START = /^\s*(on|am|le|el|il|op|den|em)\s/i;
// German puts the name after the verb: "Am 01.01.2024 schrieb Desk <desk@example.com>:".
const ATTRIBUTION_END =
  /((wrote|a écrit|escribió|ha scritto|schreef|skrev|escreveu)\s*:|\bschrieb\b.*:)\s*$/i;
/** A header block that Outlook and others put above the quoted message: "From: …" then "Sent: …"/"Date: …". */
const HEADER_FROM = /^\s*\*?(from|von|de|van)\s*:\*?\s*\S/i;
const HEADER_SENT = /^\s*\*?(sent|date|gesendet|datum|envoyé|enviado|verzonden)\s*:\*?\s*\S/i;
const UNDERSCORES = /^\s*_{10,}\s*$/;
/** RFC 3676 signature separator "-- " (many clients drop the trailing space). */
const SIGNATURE = /^--[ \t]?$/;
const QUOTED = /^\s*>/;

/** Where the quoted history starts (a line index), or lines.length when there is none. */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (ORIGINAL_MESSAGE.test(line) || SIGNATURE.test(line)) return i;
    if (ATTRIBUTION_START.test(line)) {
      // Clients wrap a long attribution over two or three lines.
      let joined = line;
      for (let j = i; j < Math.min(i + 3, lines.length); j++) {
        if (j > i) joined += ` ${lines[j] ?? ''}`;
        if (ATTRIBUTION_END.test(joined)) return i;
      }
    }
    if (/\bwrote:\s*$/i.test(line)) {
      const next = lines.slice(i + 1).find((l) => l.trim() !== '');
      if (next !== undefined && QUOTED.test(next)) return i;
    }
    if (HEADER_FROM.test(line)) {
      const within = lines.slice(i + 1, i + 5);
      if (within.some((l) => HEADER_SENT.test(l))) {
        let start = i;
        while (start > 0 && (lines[start - 1] ?? '').trim() === '') start--;
        return start > 0 && UNDERSCORES.test(lines[start - 1] ?? '') ? start - 1 : i;
      }
    }
  }
  return lines.length;
}

/**
 * The new part of a reply: cuts at the first "On … wrote:" attribution, "-----Original Message-----"
 * separator, Outlook "From: … / Sent: …" header block or "-- " signature separator, drops every remaining line
 * quoted with ">", and trims blank lines. When nothing would be left (a bare forward, a message that is all
 * quote) the whole text is kept instead, so no content is ever lost.
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept = lines.slice(0, historyStart(lines)).filter((l) => !QUOTED.test(l));
  const result = tidy(kept);
  return result === '' ? tidy(lines) : result;
}

/** Joins lines, trimming trailing spaces, collapsing runs of blank lines and trimming the ends. */
function tidy(lines: string[]): string {
  return lines
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * A plain rendering of an HTML body, used when a message has no usable text part and the parser did not
 * produce one: scripts and styles dropped, block ends and `<br>` as line breaks, blockquote lines prefixed
 * with "> " (so {@link stripQuoted} removes them), tags removed, common entities decoded.
 */
export function htmlToText(html: string): string {
  let depth = 0;
  const out = html
    .replace(/\uE000/g, '')
    .replace(/<(script|style|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\s*(\/?)\s*blockquote\b[^>]*>/gi, (_m, close: string) => {
      depth = Math.max(0, depth + (close === '/' ? -1 : 1));
      return `\n\uE000${depth}\uE000`;
    })
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\s*\/\s*(p|div|li|tr|h[1-6]|table|ul|ol|pre)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return safeChar(parseInt(e.slice(2), 16)) ?? m;
      if (e.startsWith('#')) return safeChar(parseInt(e.slice(1), 10)) ?? m;
      return ENTITIES[e.toLowerCase()] ?? m;
    });
  // Prefix the lines inside blockquotes with as many "> " as they are deep.
  let level = 0;
  const lines: string[] = [];
  // split() with a capture group alternates text (even indices) and captured depths (odd indices).
  out.split(/\uE000(\d+)\uE000/).forEach((segment, i) => {
    if (i % 2 === 1) {
      level = Number(segment);
      return;
    }
    for (const line of segment.split('\n'))
      lines.push(level > 0 && line.trim() !== '' ? `${'> '.repeat(level)}${line}` : line);
  });
  return tidy(lines.map((l) => l.replace(/[ \t]+/g, ' ')));
}

function safeChar(code: number): string | undefined {
  if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
    return undefined;
  return String.fromCodePoint(code);
}
