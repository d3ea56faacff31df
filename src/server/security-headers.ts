import type { FastifyInstance } from 'fastify';
import { OTHER_CONTENT_SECURITY_POLICY, htmlContentSecurityPolicy } from '../html/csp.js';

/**
 * Headers every response carries (issue #14.14), whatever route, error or 404 sent it:
 * - `X-Content-Type-Options: nosniff`: a browser takes our Content-Type as given and never sniffs
 *   a CSV or a JSON error into HTML or script;
 * - `Content-Security-Policy`: for HTML the strict policy of src/html/csp.ts, for everything else
 *   `default-src 'none'`; both with `frame-ancestors 'none'` (no page may be framed by another
 *   site: clickjacking, with the officials' login page on the web);
 * - `X-Frame-Options: DENY`, the same refusal for browsers that predate frame-ancestors.
 *
 * Set in onSend, when the Content-Type is known, on the root instance so that every plugin's
 * routes, the not-found handler and the error handlers pass through it. Not @fastify/helmet:
 * it sends one policy whatever the type, with defaults we would have to turn off one by one
 * (Cross-Origin-Resource-Policy: same-origin would stop other sites' pages from using our open
 * data as images or scripts; its CSP default allows 'unsafe-inline' styles), and cannot name
 * the hashes of our inline stylesheets; this is ten lines. Requests Node's parser refuses never
 * reach Fastify: src/http/utf8-request-target.ts sends the same headers on those.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    const isHtml = typeof type === 'string' && /^\s*text\/html\b/i.test(type);
    reply
      .header('X-Content-Type-Options', 'nosniff')
      .header('X-Frame-Options', 'DENY')
      .header('Content-Security-Policy', isHtml ? htmlContentSecurityPolicy() : OTHER_CONTENT_SECURITY_POLICY);
    return payload;
  });
}

/** The same headers as raw header lines, for answers written on the socket (a non-HTML body). */
export const RAW_SECURITY_HEADERS =
  'X-Content-Type-Options: nosniff\r\n' + 'X-Frame-Options: DENY\r\n' + `Content-Security-Policy: ${OTHER_CONTENT_SECURITY_POLICY}\r\n`;
