// The Markdown renderer must never let an author's text run script in a reader's browser.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

/** The names of every attribute of every real tag in `html` (quoted values are skipped as a whole). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(
    /<([a-z][a-z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*"|='[^']*'|=[^\s>]+)?)*)\s*\/?>/gi,
  )) {
    for (const attr of (tag[2] ?? '').matchAll(/\s+([^\s=>]+)(?:="[^"]*"|='[^']*'|=[^\s>]+)?/g)) {
      names.push((attr[1] ?? '').toLowerCase());
    }
  }
  return names;
}

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('# Printer\n\n**Paper** jam, see [the guide](https://example.com/guide).');
    expect(html).toContain('<h1>Printer</h1>');
    expect(html).toContain('<strong>Paper</strong>');
    expect(html).toContain('href="https://example.com/guide"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('escapes <script> blocks and inline script tags', () => {
    for (const src of [
      '<script>alert(1)</script>',
      'text <script src="https://evil.example/x.js"></script>',
    ]) {
      const html = renderMarkdown(src);
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('&lt;script');
    }
  });

  it('strips javascript:, vbscript: and data: link targets', () => {
    for (const src of [
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](java\nscript:alert(1))',
      '[click](&#106;avascript:alert(1))',
      '[click](vbscript:msgbox(1))',
      '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '<javascript:alert(1)>',
      '![x](javascript:alert(1))',
    ]) {
      const html = renderMarkdown(src);
      expect(html, src).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
      expect(html, src).not.toMatch(/src="\s*(javascript|vbscript):/i);
    }
  });

  it('has an attribute check that does see an injected handler', () => {
    expect(attributeNames('<img src="a.png" alt="x&quot; onerror=&quot;y" onerror="alert(1)">')).toEqual([
      'src',
      'alt',
      'onerror',
    ]);
  });

  it('never emits event-handler attributes such as onerror=', () => {
    for (const src of [
      '<img src=x onerror=alert(1)>',
      '<a href="https://example.com" onclick="alert(1)">x</a>',
      '<svg onload=alert(1)>',
      '![a" onerror="alert(1)](https://example.com/a.png)',
      '[x](https://example.com/" onmouseover="alert(1))',
    ]) {
      const html = renderMarkdown(src);
      // an on*= that survives is escaped text or part of a quoted value, never an attribute of a real tag
      expect(
        attributeNames(html).filter((n) => n.startsWith('on')),
        src,
      ).toEqual([]);
    }
  });
});
