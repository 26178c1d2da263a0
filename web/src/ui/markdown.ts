// Markdown to HTML for tickets and comments, safe by construction: markdown-it with raw HTML disabled escapes
// every tag the author types (<script>, <img onerror=...>), and its link check refuses javascript:, vbscript:,
// file: and non-image data: URLs. No sanitiser pass is needed because no author HTML ever reaches the output.
// The output also obeys the server's Content-Security-Policy: no style attributes (table alignment is a class)
// and no images from other hosts (the CSP's img-src would block them anyway; this renders them as links).
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

/** The attributes every link gets: it opens outside the app, without the opener or the referrer. */
const LINK_ATTRS = 'target="_blank" rel="noopener noreferrer nofollow"';

// Links open outside the app, without handing it the opener or the referrer.
const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token !== undefined) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer nofollow');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/**
 * Whether an image URL points at another host: anything with a scheme or a `//` authority, except inline
 * `data:` images (markdown-it already lets only image types through). A requester's description must not make
 * an agent's browser fetch a tracking pixel, so only the app's own paths load.
 */
function isForeign(src: string): boolean {
  const s = src.trim().toLowerCase();
  if (s.startsWith('data:')) return false;
  return s.startsWith('//') || s.startsWith('\\') || /^[a-z][a-z0-9+.-]*:/.test(s);
}

/** Whether the inline token at `idx` sits between a link_open and its link_close. */
function insideLink(tokens: readonly { type: string }[], idx: number): boolean {
  let depth = 0;
  for (let i = 0; i < idx; i++) {
    const type = tokens[i]?.type;
    if (type === 'link_open') depth++;
    else if (type === 'link_close') depth--;
  }
  return depth > 0;
}

const defaultImage =
  md.renderer.rules.image ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = String(token?.attrGet('src') ?? '');
  if (token === undefined || !isForeign(src)) return defaultImage(tokens, idx, options, env, self);
  const alt = self.renderInlineAsText(token.children ?? [], options, env).trim() || 'image';
  const text = `${md.utils.escapeHtml(alt)} (image on another site, not loaded)`;
  // Inside a link the text is enough (a link may not hold a link); elsewhere it links to the image.
  if (insideLink(tokens, idx)) return text;
  const href = md.utils.escapeHtml(src);
  return `<a href="${href}" ${LINK_ATTRS} class="md-foreign-image" title="${href}">${text}</a>`;
};

// markdown-it aligns table cells with style="text-align:…", which a CSP without 'unsafe-inline' refuses.
md.core.ruler.push('align_classes', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const align = /text-align:(left|center|right)/.exec(String(token.attrGet('style') ?? ''))?.[1];
    if (!token.attrs || align === undefined) continue;
    token.attrs = token.attrs.filter(([name]) => name !== 'style');
    token.attrJoin('class', `md-${align}`);
  }
});

/** Renders Markdown to HTML that is safe to insert into the page (no author HTML, no script URLs). */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
