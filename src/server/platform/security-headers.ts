import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response. No 'unsafe-inline' and no 'unsafe-eval': the built web app
 * is one module script and stylesheets from our own origin (React sets styles through the CSSOM, which the
 * policy allows); Markdown never emits style attributes. Images load only from the app itself and inline
 * data/blob URLs, so a description cannot make a reader's browser fetch a tracking pixel elsewhere (the
 * Markdown renderer already turns such images into links; this is the second line of defence). Nobody may
 * frame the app (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The one exception: the API reference (`/api/docs`, Swagger UI, a developer tool with no user content) sets
 * inline styles from its bundle, so its pages may apply inline styles. Scripts stay our own everywhere.
 */
export const API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

/** Strict-Transport-Security for answers over HTTPS: a year, subdomains included. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** The headers added to every response; a route that sets one itself (attachment downloads) keeps its own. */
const HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  // Links to other sites carry no address of ours (ticket URLs can name what they are about).
  'Referrer-Policy': 'no-referrer',
  // frame-ancestors for browsers that predate it.
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
};

/** Adds the browser hardening headers to every response of `app` (API, errors, static files). */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    for (const [name, value] of Object.entries(HEADERS)) {
      if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    // HSTS only over HTTPS (directly, or behind a trusted proxy that says so): over plain HTTP it means nothing,
    // and sent from a test or LAN address it would pin that host to HTTPS in people's browsers.
    if (req.protocol === 'https' && !reply.hasHeader('Strict-Transport-Security'))
      void reply.header('Strict-Transport-Security', HSTS);
    if (
      req.url.startsWith('/api/docs') &&
      reply.getHeader('Content-Security-Policy') === CONTENT_SECURITY_POLICY
    )
      void reply.header('Content-Security-Policy', API_DOCS_POLICY);
    return payload;
  });
}
