/**
 * The Linked Data route checks (design.md: the 303 for things, content negotiation, fixed
 * variants, 404) as data and assertions that do not depend on how the answer was got: the
 * service through app.inject (tests/routes.test.ts) and a static export behind nginx over real
 * HTTP (tests/export-static.test.ts) are held to the same table.
 */
import { expect } from 'vitest';

/** Norin, Yovon district: a jamoat with statistics. */
export const JAMOAT = 'jamoat/TJ-KT-06-06';

/** Accept header, the media type answered, the extension of the variant it names in Content-Location. */
export const CONNEG_CASES: [accept: string, type: string, ext: string][] = [
  ['text/turtle', 'text/turtle', 'ttl'],
  ['application/ld+json', 'application/ld+json', 'jsonld'],
  ['application/json', 'application/ld+json', 'jsonld'],
  ['application/n-triples', 'application/n-triples', 'nt'],
  ['application/rdf+xml', 'application/rdf+xml', 'rdf'],
  ['application/n-quads', 'application/n-quads', 'nq'],
  ['application/trig', 'application/trig', 'trig'],
  ['text/html', 'text/html', 'html'],
  ['*/*', 'text/html', 'html'],
  ['application/rdf+xml;q=0.5, text/turtle;q=0.9', 'text/turtle', 'ttl'],
  ['text/html;q=0.1, application/ld+json', 'application/ld+json', 'jsonld'],
];

/** Every media type a document is available in: a 406 lists them all. */
export const DOCUMENT_TYPES = ['text/html', 'text/turtle', 'application/ld+json', 'application/n-triples', 'application/rdf+xml', 'application/n-quads', 'application/trig'];

/** The fixed variants of design.md, served without negotiation. */
export const FIXED_EXTENSIONS = ['ttl', 'jsonld', 'nt', 'rdf', 'nq', 'trig', 'html'];

/** IRIs that name nothing (or are hostile): 404. */
export const UNKNOWN_IDS = ['/id/jamoat/TJ-KT-06-99', '/id/nothing', '/id/jamoat/../../etc/passwd', '/id/jamoat/%3Cscript%3E'];

/** An answer, however it was got: headers by lower-case name. */
export interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** What a negotiated document's answer must carry (design.md, "Content negotiation"). */
export function expectNegotiated(r: Answer, path: string, type: string, ext: string): void {
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
  expect(r.headers['content-location']).toBe(`${path}.${ext}`);
  expect(r.headers.vary).toMatch(/Accept(?!-)/);
  expect(r.headers.link).toContain(`<${path}.ttl>; rel="alternate"; type="text/turtle"`);
  expect(r.headers.etag).toBeTruthy();
  expect(r.headers['cache-control']).toContain('max-age');
}

export function expectNotAcceptable(r: Answer): void {
  expect(r.status).toBe(406);
  for (const t of DOCUMENT_TYPES) expect(r.body).toContain(t);
}
