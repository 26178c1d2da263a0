// Markdown to HTML for tickets and comments, safe by construction: markdown-it with raw HTML disabled escapes
// every tag the author types (<script>, <img onerror=...>), and its link check refuses javascript:, vbscript:,
// file: and non-image data: URLs. No sanitiser pass is needed because no author HTML ever reaches the output.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

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

/** Renders Markdown to HTML that is safe to insert into the page (no author HTML, no script URLs). */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
