import { describe, expect, it } from 'vitest';
import { MAX_ACCEPT_LENGTH, negotiate, negotiateEncoding } from '../src/http/negotiate.js';
import { MEDIA_TYPES, RDF_MEDIA_TYPES, formatByExtension, formatByMediaType } from '../src/serialize/formats.js';

const HTML = 'text/html';
const TTL = 'text/turtle';
const JSONLD = 'application/ld+json';
const NT = 'application/n-triples';
const RDFXML = 'application/rdf+xml';
const NQ = 'application/n-quads';
const TRIG = 'application/trig';
const NONE = { notAcceptable: [...MEDIA_TYPES] };

describe('negotiate(accept, available) over our formats', () => {
  it('offers HTML first, then the RDF formats', () => {
    expect(MEDIA_TYPES).toEqual([HTML, TTL, JSONLD, NT, RDFXML, NQ, TRIG]);
  });

  type Case = [name: string, accept: string | undefined, expected: { type: string; profile?: string } | { notAcceptable: string[] }, available?: string[]];
  it.each<Case>([
    // no preference: the first available (HTML, design.md)
    ['no Accept header', undefined, { type: HTML }],
    ['an empty Accept header counts as absent', '', { type: HTML }],
    ['blanks only count as absent', '  \t ', { type: HTML }],
    ['*/*', '*/*', { type: HTML }],
    ['curl', '*/*;q=1', { type: HTML }],
    // one type asked for
    ['each of our types', TTL, { type: TTL }],
    ['N-Triples', NT, { type: NT }],
    ['RDF/XML', RDFXML, { type: RDFXML }],
    ['N-Quads', NQ, { type: NQ }],
    ['TriG', TRIG, { type: TRIG }],
    ['JSON-LD', JSONLD, { type: JSONLD }],
    ['media types are case-insensitive (RFC 9110 §8.3.1)', 'Text/Turtle', { type: TTL }],
    // q-values (RFC 9110 §12.5.1, §12.4.2)
    ['the higher q wins, whatever the order', 'application/rdf+xml;q=0.9, text/turtle', { type: TTL }],
    ['q-values below 1', 'text/turtle;q=0.5, application/n-triples;q=0.8', { type: NT }],
    ['equal q, types named one by one: the client’s order decides', 'application/n-triples, text/turtle', { type: NT }],
    ['equal q: a named type before one matched by a wildcard', 'application/n-triples;q=0.5, */*;q=0.5', { type: NT }],
    ['a more specific range overrides a wildcard', 'text/*;q=0.2, text/turtle', { type: TTL }],
    ['the browser header of Firefox/Chrome gets HTML', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', { type: HTML }],
    ['a header preferring Turtle over everything else', 'text/turtle;q=1, */*;q=0.1', { type: TTL }],
    ['spaces around parameters', 'text/turtle ; q=0.4 , application/n-quads ; q=0.5', { type: NQ }],
    // type/*
    ['text/* picks HTML before Turtle (HTML is first)', 'text/*', { type: HTML }],
    ['text/* without HTML gives Turtle', 'text/*, text/html;q=0', { type: TTL }],
    ['application/* picks the first application type', 'application/*', { type: JSONLD }],
    // q=0 is "not acceptable"
    ['q=0 excludes a type even under */*', '*/*, text/html;q=0', { type: TTL }],
    ['q=0 on the only type asked for', 'text/turtle;q=0', NONE],
    ['q=0.0 and q=0.000 are zero too', 'text/turtle;q=0.000, application/trig;q=0.0', NONE],
    ['a q of 0 for everything', '*/*;q=0', NONE],
    // application/json is answered as JSON-LD
    ['application/json', 'application/json', { type: JSONLD }],
    ['application/json ranks at its own q', 'application/json;q=0.9, text/turtle;q=0.5', { type: JSONLD }],
    ['application/json loses to a higher q', 'application/json;q=0.5, text/turtle', { type: TTL }],
    ['application/json;q=0 is not JSON-LD', 'application/json;q=0', NONE],
    ['application/json;q=0 does not stop */*', 'application/json;q=0, */*', { type: HTML }],
    ['JSON with everything else refused', 'application/json, */*;q=0', { type: JSONLD }],
    ['JSON, but JSON-LD refused explicitly', 'application/json, application/ld+json;q=0', NONE],
    ['JSON, JSON-LD refused, Turtle as fallback', 'application/json, application/ld+json;q=0, text/turtle;q=0.1', { type: TTL }],
    ['a typical API client', 'application/json, text/plain, */*', { type: JSONLD }],
    // JSON-LD profiles (JSON-LD 1.1 §9): the document form comes back as `profile`
    ['JSON-LD, compacted profile', 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', { type: JSONLD, profile: 'compacted' }],
    ['JSON-LD, expanded profile', 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"', { type: JSONLD, profile: 'expanded' }],
    ['JSON-LD, flattened profile', 'application/ld+json;profile="http://www.w3.org/ns/json-ld#flattened"', { type: JSONLD, profile: 'flattened' }],
    ['JSON-LD, flattened and compacted', 'application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted http://www.w3.org/ns/json-ld#flattened"', { type: JSONLD, profile: 'flattened-compacted' }],
    ['JSON-LD, a profile we do not know', 'application/ld+json;profile="http://example.org/p"', NONE],
    ['JSON-LD without a profile is the default form', 'application/ld+json', { type: JSONLD }],
    ['the expanded profile refused, JSON-LD accepted', 'application/ld+json, application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded";q=0', { type: JSONLD }],
    // the older or looser names RDF clients send
    ["rdflib's parse(format='nt')", 'text/plain, */*;q=0.1', { type: NT }],
    ['application/x-turtle', 'application/x-turtle', { type: TTL }],
    ['text/n3 (Turtle is N3)', 'text/n3', { type: TTL }],
    ['application/xml', 'application/xml', { type: RDFXML }],
    ['text/xml', 'text/xml', { type: RDFXML }],
    ['an alias ranks at its own q', 'text/plain;q=0.5, text/turtle', { type: TTL }],
    ['an alias with its target refused', 'text/plain, application/n-triples;q=0', NONE],
    ['charset=utf-8: everything we send is UTF-8', 'text/turtle;charset=utf-8', { type: TTL }],
    ['charset=UTF-8 with spaces', 'application/n-triples; charset="UTF-8"', { type: NT }],
    ['another charset: a range with parameters matches only types with them', 'text/turtle;charset=iso-8859-1', NONE],
    ['charset=utf-8 and q=0 on the bare type', 'text/turtle;charset=utf-8, text/turtle;q=0', NONE],
    // nothing acceptable: 406 with the alternatives
    ['a type we do not serve', 'image/png', NONE],
    ['plain JSON is not an alias when JSON-LD is not available', 'application/json', { notAcceptable: [HTML, TTL] }, [HTML, TTL]],
    // hostile or broken headers: "nothing acceptable", never an exception
    ['garbage parameters', ';;;q=abc', NONE],
    ['only commas', ',,,,', NONE],
    ['unicode garbage', 'ǅ☃/💩;q=ä, \u0000\uFFFF', NONE],
    ['a quote that never closes', 'text/turtle;x="unterminated', { type: TTL }],
    ['a non-numeric q is not a weight', 'text/turtle;q=abc', NONE],
  ])('%s: %j', (_name, accept, expected, available = [...MEDIA_TYPES]) => {
    expect(negotiate(accept, available)).toEqual(expected);
  });

  it('answers only with types from `available`, in its order of preference', () => {
    expect(negotiate('*/*', RDF_MEDIA_TYPES)).toEqual({ type: TTL });
    expect(negotiate(HTML, RDF_MEDIA_TYPES)).toEqual({ notAcceptable: RDF_MEDIA_TYPES });
    expect(negotiate('*/*', [])).toEqual({ notAcceptable: [] });
    expect(negotiate('application/json', [JSONLD])).toEqual({ type: JSONLD });
    // where plain JSON is itself on offer (e.g. search results), it is not an alias
    expect(negotiate('application/json', [HTML, 'application/json', JSONLD])).toEqual({ type: 'application/json' });
  });

  it('returns a copy of the alternatives, not the caller’s array', () => {
    const result = negotiate('image/png', MEDIA_TYPES);
    expect(result).toEqual(NONE);
    expect('notAcceptable' in result && result.notAcceptable).not.toBe(MEDIA_TYPES);
  });

  describe('hostile headers: no exception, and fast', () => {
    const hostile: [string, string][] = [
      ['100 KB of commas', ','.repeat(100_000)],
      ['100 KB of semicolons', ';'.repeat(100_000)],
      ['a header just under the cap', 'x/y;q=0.1,'.repeat(Math.floor(MAX_ACCEPT_LENGTH / 10) - 1) + TTL],
      ['4 KiB of commas', ','.repeat(MAX_ACCEPT_LENGTH)],
      ['thousands of parameters', `text/turtle${';a=b'.repeat(1000)}`],
      ['a long unicode string', '💩'.repeat(50_000)],
      ['quotes and backslashes', 'text/turtle;p="\\\\\\"'.repeat(500)],
    ];
    it.each(hostile)('%s', (_name, accept) => {
      const started = performance.now();
      expect(() => negotiate(accept, MEDIA_TYPES)).not.toThrow();
      expect(performance.now() - started).toBeLessThan(200);
    });

    it('a long header is not parsed: nothing acceptable', () => {
      expect(negotiate(`${TTL},${' '.repeat(MAX_ACCEPT_LENGTH)}`, MEDIA_TYPES)).toEqual(NONE);
    });

    it('a header just under the cap is parsed', () => {
      const accept = 'x/y;q=0.1,'.repeat(Math.floor(MAX_ACCEPT_LENGTH / 10) - 1) + TTL;
      expect(accept.length).toBeLessThanOrEqual(MAX_ACCEPT_LENGTH);
      expect(negotiate(accept, MEDIA_TYPES)).toEqual({ type: TTL });
    });
  });
});

describe('negotiateEncoding(acceptEncoding)', () => {
  it.each<[name: string, header: string | undefined, expected: 'br' | 'gzip' | 'identity']>([
    ['no header', undefined, 'identity'],
    ['empty', '', 'identity'],
    ['gzip', 'gzip', 'gzip'],
    ['br', 'br', 'br'],
    ['a browser: br preferred on equal q', 'gzip, deflate, br', 'br'],
    ['with zstd', 'gzip, deflate, br, zstd', 'br'],
    ['any coding', '*', 'br'],
    ['q-values beat our preference', 'gzip;q=1, br;q=0.5', 'gzip'],
    ['br refused', 'br;q=0, gzip', 'gzip'],
    ['both refused', 'br;q=0, gzip;q=0', 'identity'],
    ['everything refused: identity anyway', '*;q=0', 'identity'],
    ['identity refused, nothing else offered: identity anyway', 'identity;q=0', 'identity'],
    ['only codings we lack', 'deflate', 'identity'],
    ['garbage', ';;;q=abc', 'identity'],
    ['100 KB of commas', ','.repeat(100_000), 'identity'],
  ])('%s', (_name, header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('the format table', () => {
  it('maps every extension and media type both ways', () => {
    for (const ext of ['html', 'ttl', 'jsonld', 'nt', 'rdf', 'nq', 'trig']) {
      const format = formatByExtension(ext);
      expect(format?.key).toBe(ext);
      expect(formatByMediaType(format?.mediaType ?? '')?.key).toBe(ext);
    }
    expect(formatByMediaType('application/json')?.key).toBe('jsonld');
    expect(formatByMediaType('Text/Turtle')?.key).toBe('ttl');
    expect(formatByExtension('xml')).toBeUndefined();
    expect(formatByMediaType('text/plain')?.key).toBe('nt');
    expect(formatByMediaType('text/xml')?.key).toBe('rdf');
    expect(formatByMediaType('image/png')).toBeUndefined();
  });

  it('knows which formats hold named graphs', () => {
    expect(['nq', 'trig'].map((e) => formatByExtension(e)?.namedGraphs)).toEqual([true, true]);
    expect(['ttl', 'jsonld', 'nt', 'rdf', 'html'].map((e) => formatByExtension(e)?.namedGraphs)).toEqual([false, false, false, false, false]);
  });
});
