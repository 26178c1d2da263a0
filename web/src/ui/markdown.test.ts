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

  it('does not load images from other hosts: they become links the reader may choose to open', () => {
    for (const src of [
      '![pixel](https://tracker.example/p.gif)',
      '![pixel](http://tracker.example/p.gif "title")',
      '![pixel](//tracker.example/p.gif)',
      '![pixel](HTTPS://TRACKER.example/p.gif)',
    ]) {
      const html = renderMarkdown(src);
      expect(html, src).not.toMatch(/<img/i);
      expect(html, src).toContain('href="');
      expect(html.toLowerCase(), src).toContain('tracker.example/p.gif');
      expect(html, src).toContain('pixel');
    }
    // inside a link it is plain text (a link may not hold a link)
    const linked = renderMarkdown('[![pixel](https://tracker.example/p.gif)](https://example.com)');
    expect(linked).not.toMatch(/<img/i);
    expect(linked.match(/<a /g)?.length).toBe(1);
    expect(linked).toContain('pixel (image on another site, not loaded)');
  });

  it('still shows images of the app itself and inline data images', () => {
    const own = renderMarkdown('![diagram](/api/v1/tickets/1/attachments/2/content)');
    expect(own).toContain('<img src="/api/v1/tickets/1/attachments/2/content" alt="diagram">');
    const data = renderMarkdown('![dot](data:image/png;base64,iVBORw0KGgo=)');
    expect(data).toContain('<img src="data:image/png;base64,iVBORw0KGgo="');
  });

  it('aligns table columns with classes, not style attributes (the CSP refuses inline styles)', () => {
    const html = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    expect(html).not.toMatch(/style=/i);
    expect(html).toContain('<th class="md-left">a</th>');
    expect(html).toContain('<td class="md-center">2</td>');
    expect(html).toContain('<td class="md-right">3</td>');
  });
});
