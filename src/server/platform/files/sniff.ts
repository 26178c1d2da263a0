/**
 * What an uploaded file really is, from its first bytes (never from the client's Content-Type or the file
 * name), and how it may be served back. Only types a browser cannot run are ever shown inline; everything
 * else, HTML and SVG above all, is a download of `application/octet-stream`.
 */

interface Magic {
  type: string;
  at?: number;
  bytes: readonly number[];
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

// Ordered: the first match wins.
const MAGIC: readonly Magic[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: ascii('GIF87a') },
  { type: 'image/gif', bytes: ascii('GIF89a') },
  { type: 'image/bmp', bytes: ascii('BM') },
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'application/pdf', bytes: ascii('%PDF-') },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { type: 'application/gzip', bytes: [0x1f, 0x8b] },
  { type: 'application/x-7z-compressed', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: 'application/vnd.rar', bytes: ascii('Rar!\x1a\x07') },
  { type: 'application/x-ole-storage', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { type: 'audio/mpeg', bytes: ascii('ID3') },
  { type: 'video/mp4', at: 4, bytes: ascii('ftyp') },
  { type: 'application/x-executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: 'application/x-msdownload', bytes: ascii('MZ') },
];

const RIFF: Record<string, string> = { WEBP: 'image/webp', WAVE: 'audio/wav', 'AVI ': 'video/x-msvideo' };

/** Office documents are zip files; their extension names which one (the bytes are still a zip). */
const OFFICE: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

const startsWith = (b: Uint8Array, m: Magic): boolean => {
  const at = m.at ?? 0;
  if (b.length < at + m.bytes.length) return false;
  return m.bytes.every((x, i) => b[at + i] === x);
};

/** True when the bytes are UTF-8 text without NULs or other binary control characters. */
function isText(b: Uint8Array): boolean {
  const head = b.subarray(0, 8192);
  for (const x of head)
    if (x === 0 || (x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d && x !== 0x0c)) return false;
  try {
    // A multi-byte sequence cut at the 8 KiB boundary is not an error: decode with `stream`.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < b.length });
    return true;
  } catch {
    return false;
  }
}

/** Markup a browser would run as a page or an image with scripts. */
function looksLikeMarkup(b: Uint8Array): 'text/html' | 'image/svg+xml' | 'application/xml' | null {
  const head = Buffer.from(b.subarray(0, 1024))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/^<(!doctype html|html|head|body|script|iframe|div|p|a|img|table|style|title)[\s>]/.test(head))
    return 'text/html';
  if (head.includes('<svg')) return 'image/svg+xml';
  if (head.startsWith('<?xml')) return 'application/xml';
  return null;
}

/** The content type of a file, from its bytes (and, for zip-based office documents, its extension). */
export function sniffContentType(bytes: Uint8Array, fileName: string): string {
  if (bytes.length >= 12 && startsWith(bytes, { type: '', bytes: ascii('RIFF') })) {
    const sub = Buffer.from(bytes.subarray(8, 12)).toString('latin1');
    const t = RIFF[sub];
    if (t) return t;
  }
  for (const m of MAGIC) {
    if (!startsWith(bytes, m)) continue;
    if (m.type === 'application/zip') {
      const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
      return OFFICE[ext] ?? m.type;
    }
    return m.type;
  }
  if (bytes.length > 0 && isText(bytes)) {
    const markup = looksLikeMarkup(bytes);
    if (markup) return markup;
    if (/\.csv$/i.test(fileName)) return 'text/csv';
    return 'text/plain';
  }
  return 'application/octet-stream';
}

/** Types shown in the browser (inline); anything else is served only as a download. */
const INLINE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'application/pdf',
  'text/plain',
  'text/csv',
]);

/**
 * How to serve a stored attachment: the Content-Type and Content-Disposition to send. A type that could
 * run script (HTML, SVG, XML, anything unknown) is `application/octet-stream` and always a download.
 */
export function servingOf(contentType: string, fileName: string): { type: string; disposition: string } {
  const inline = INLINE.has(contentType);
  const type = !inline
    ? 'application/octet-stream'
    : contentType.startsWith('text/')
      ? `${contentType}; charset=utf-8`
      : contentType;
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const disposition = `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
  return { type, disposition };
}

/**
 * A file name safe to store and to send back: the last path segment only, no control characters, no
 * leading dots, at most 255 characters (keeping the extension). Empty names become "attachment".
 */
export function safeFileName(name: string): string {
  let n = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  n = [...n]
    .filter((c) => {
      const x = c.charCodeAt(0);
      return x >= 0x20 && !(x >= 0x7f && x <= 0x9f);
    })
    .join('')
    .replace(/^[.\s]+/, '')
    .trim();
  if (n.length > 255) {
    const ext = /\.[^.]{1,16}$/.exec(n)?.[0] ?? '';
    n = n.slice(0, 255 - ext.length) + ext;
  }
  return n === '' ? 'attachment' : n;
}
