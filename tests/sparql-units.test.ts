import { describe, expect, it } from 'vitest';
import { cutResults } from '../src/sparql/cut-results.js';
import { parseProtocolRequest } from '../src/sparql/parse-request.js';
import { prepareQuery } from '../src/sparql/prepare-query.js';
import { ProtocolError } from '../src/sparql/protocol-error.js';
import { chooseAnswer } from '../src/sparql/result-types.js';
import { QuerySyntaxError } from '../src/store/store.js';

/** The pure parts of the endpoint, case by case, without a server (Oxigraph's tests-per-method style). */

const opts = { baseIri: 'http://localhost:3000/sparql', maxResults: 10 };
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof ProtocolError ? `${e.statusCode} ${e.code}` : e instanceof QuerySyntaxError ? `${e.statusCode} ${e.code}` : String(e);
  }
  return 'accepted';
};

describe('parseProtocolRequest (SPARQL 1.1 Protocol §2.1, §2.2)', () => {
  const req = (method: string, search: string, contentType?: string, body?: string) =>
    parseProtocolRequest({ method, search, contentType, body: body === undefined ? undefined : Buffer.from(body) });

  it.each([
    ['GET', 'query=ASK%7B%7D&default-graph-uri=urn%3Aa&named-graph-uri=urn%3Ab', undefined, undefined, { kind: 'query', query: 'ASK{}', defaultGraphs: ['urn:a'], namedGraphs: ['urn:b'] }],
    ['GET', 'lang=tg', undefined, undefined, { kind: 'none' }],
    ['HEAD', '', undefined, undefined, { kind: 'none' }],
    ['POST', 'named-graph-uri=urn%3Ab', 'application/x-www-form-urlencoded', 'query=SELECT+*+%7B%7D', { kind: 'query', query: 'SELECT * {}', defaultGraphs: [], namedGraphs: ['urn:b'] }],
    ['POST', '', 'application/sparql-query; charset=UTF-8', 'ASK { "ё" }', { kind: 'query', query: 'ASK { "ё" }' }],
  ] as const)('%s ?%s (%s) reads the query and dataset', (method, search, type, body, expected) => {
    expect(req(method, search, type, body)).toEqual(expected);
  });

  it.each([
    ['GET', 'update=CLEAR+ALL', undefined, undefined, '403 LG_ERR_READ_ONLY'],
    ['POST', '', 'application/x-www-form-urlencoded', 'using-graph-uri=urn%3Aa&query=ASK%7B%7D', '403 LG_ERR_READ_ONLY'],
    ['POST', '', 'application/sparql-update; charset=UTF-16', 'CLEAR ALL', '403 LG_ERR_READ_ONLY'],
    ['GET', 'query=ASK%7B%7D&query=ASK%7B%7D', undefined, undefined, '400 LG_ERR_QUERY_MISSING'],
    ['POST', 'query=ASK%7B%7D', 'application/sparql-query', 'ASK {}', '400 LG_ERR_QUERY_MISSING'],
    ['GET', 'default-graph-uri=urn%3Aa', undefined, undefined, '400 LG_ERR_QUERY_MISSING'],
    ['GET', 'query=%20%0A', undefined, undefined, '400 LG_ERR_QUERY_MISSING'],
    ['POST', '', 'application/x-www-form-urlencoded', '', '400 LG_ERR_QUERY_MISSING'],
    ['POST', '', 'application/sparql-query', 'PREFIX lg: <http://x/def/lg#>\r\nprefix : <http://x/>\n# no query\nBASE<http://x/>', '400 LG_ERR_QUERY_MISSING'],
    ['POST', '', undefined, 'ASK {}', '415 LG_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['POST', '', 'text/plain', 'ASK {}', '415 LG_ERR_UNSUPPORTED_MEDIA_TYPE'],
    ['POST', '', 'application/sparql-query; charset=ISO-8859-1', 'ASK {}', '415 LG_ERR_UNSUPPORTED_MEDIA_TYPE'],
  ] as const)('%s ?%s (%s) is refused: %s', (method, search, type, body, expected) => {
    expect(refusal(() => req(method, search, type, body))).toBe(expected);
  });

  it('reads a query after its prologue, and scans a hostile prologue in linear time', () => {
    expect(req('POST', '', 'application/sparql-query', 'PREFIX lg: <http://x/def/lg#>\n# a comment\nASK {}')).toMatchObject({ kind: 'query' });
    expect(req('POST', '', 'application/sparql-query', `${'#'.repeat(50_000)}\n${' '.repeat(50_000)}x`)).toMatchObject({ kind: 'query' });
  });

  it('refuses a body that is not UTF-8', () => {
    const r = () => parseProtocolRequest({ method: 'POST', search: '', contentType: 'application/sparql-query', body: Buffer.from([0x41, 0xff, 0xfe]) });
    expect(refusal(r)).toBe('415 LG_ERR_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('prepareQuery: refusals, the result limit, SELECT *', () => {
  it.each([
    ['CLEAR ALL', '403 LG_ERR_READ_ONLY'],
    ['LOAD <http://example.org/x>', '403 LG_ERR_READ_ONLY'],
    ['SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }', '403 LG_ERR_SERVICE_REFUSED'],
    ['SELECT * { ?s ?p ?o { SELECT ?s { SERVICE ?endpoint { ?s ?p ?o } } } }', '403 LG_ERR_SERVICE_REFUSED'],
    ['ASK { ?s ?p ?o MINUS { SERVICE SILENT <http://x/> { ?s ?p ?o } } }', '403 LG_ERR_SERVICE_REFUSED'],
    ['SELECT * WHERE { ?s ?p ?o', '400 LG_ERR_QUERY_SYNTAX'],
    ['SELECT * WHERE { ?s ?p ?o } GROUP BY ?s', '400 LG_ERR_QUERY_SYNTAX'],
    ['SELECT ?s WHERE { ?s <urn:service> "SERVICE <http://x/>" }', 'accepted'],
  ])('%s: %s', (query, expected) => {
    expect(refusal(() => prepareQuery(query, opts))).toBe(expected);
  });

  it('gives a syntax error its line and column', () => {
    try {
      prepareQuery('PREFIX ex: <http://e/>\nSELECT * WHERE {\n  ?s ex:p ?o ?x\n}', opts);
      expect.unreachable();
    } catch (e) {
      expect((e as QuerySyntaxError).position).toEqual({ line: 3, column: 11 });
      expect((e as QuerySyntaxError).message).toMatch(/^error at 3:11: Parse error on line 3:\n/);
    }
  });

  it.each([
    ['SELECT ?s WHERE { ?s ?p ?o }', 'SELECT', /LIMIT 11$/, 10, false],
    ['SELECT ?s WHERE { ?s ?p ?o } LIMIT 500', 'SELECT', /LIMIT 11$/, 10, false],
    ['SELECT ?s WHERE { ?s ?p ?o } LIMIT 10', 'SELECT', /LIMIT 10$/, undefined, false],
    ['ASK { ?s ?p ?o }', 'ASK', /^BASE <http:\/\/localhost:3000\/sparql>\nASK/, undefined, false],
    ['CONSTRUCT WHERE { ?s ?p ?o }', 'CONSTRUCT', /LIMIT 10$/, 10, true],
    ['DESCRIBE ?s WHERE { ?s ?p ?o } OFFSET 5', 'DESCRIBE', /OFFSET 5\nLIMIT 10$/, 10, true],
    ['DESCRIBE <urn:x>', 'DESCRIBE', /DESCRIBE <urn:x>$/, undefined, false],
  ] as const)('%s', (query, form, text, bound, probe) => {
    const q = prepareQuery(query, opts);
    expect(q.form).toBe(form);
    expect(q.text).toMatch(text);
    expect(q.bound).toBe(bound);
    expect(q.probe !== undefined).toBe(probe);
  });

  it('probes CONSTRUCT and DESCRIBE beyond the bound, with the same WHERE and dataset', () => {
    const q = prepareQuery('DESCRIBE ?s FROM <urn:g> WHERE { ?s ?p ?o } GROUP BY ?s OFFSET 5', opts);
    expect(q.probe).toMatch(/SELECT \(1 +AS \?lg_probe\) FROM <urn:g>\nWHERE \{ \?s \?p \?o\. \}\nGROUP BY \?s\nOFFSET 15\nLIMIT 1$/);
  });

  it('spells out SELECT * in the order the variables are written', () => {
    const q = prepareQuery('SELECT * WHERE { ?z <urn:p> ?a . OPTIONAL { ?a <urn:q> ?m } BIND(1 AS ?b) FILTER(?nope) MINUS { ?z <urn:r> ?gone } { SELECT ?k WHERE { ?k ?x ?y } } GRAPH ?g { ?z ?w ?v } } VALUES ?last { 1 }', { ...opts, maxResults: 1000 });
    expect(q.text).toMatch(/SELECT \?z \?a \?m \?b \?k \?g \?w \?v \?last WHERE/);
    expect(q.bound).toBe(1000);
  });
});

describe('cutResults: rows counted and cut without parsing', () => {
  it('JSON, with braces and quotes inside strings', () => {
    const row = (v: string) => `{"x":{"type":"literal","value":${JSON.stringify(v)}}}`;
    const body = `{"head":{"vars":["x"]},"results":{"bindings":[${['{', '}"', '\\', ']}'].map(row).join(',')}]}}`;
    const cut = cutResults(body, 'application/sparql-results+json', 2);
    expect(cut).toMatchObject({ rows: 3, truncated: true }); // counted up to max + 1
    expect((JSON.parse(cut.body) as { results: { bindings: { x: { value: string } }[] } }).results.bindings.map((b) => b.x.value)).toEqual(['{', '}"']);
    expect(cutResults(body, 'application/sparql-results+json', 4)).toEqual({ body, rows: 4, truncated: false });
  });

  it('XML, with the empty-element form of a row', () => {
    const body = '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head><results><result/><result/><result/></results></sparql>';
    expect(cutResults(body, 'application/sparql-results+xml', 1)).toEqual({ body: '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head><results><result/></results></sparql>', rows: 2, truncated: true });
  });

  it('CSV with quoted line breaks, TSV by lines', () => {
    expect(cutResults('x\r\n"a\r\nb"\r\nc\r\nd\r\n', 'text/csv', 2)).toEqual({ body: 'x\r\n"a\r\nb"\r\nc\r\n', rows: 3, truncated: true });
    expect(cutResults('?x\n"a\\nb"\n"c"\n', 'text/tab-separated-values', 1)).toEqual({ body: '?x\n"a\\nb"\n', rows: 2, truncated: true });
    expect(cutResults('x\r\n', 'text/csv', 1)).toEqual({ body: 'x\r\n', rows: 0, truncated: false });
  });
});

describe('chooseAnswer (one table of answer types)', () => {
  it.each([
    [undefined, 'SELECT', 'application/sparql-results+json'],
    ['*/*', 'CONSTRUCT', 'text/turtle'],
    ['text/csv;q=0.9, application/sparql-results+xml', 'SELECT', 'application/sparql-results+xml'],
    ['application/xml', 'ASK', 'application/sparql-results+xml'],
    ['application/json', 'DESCRIBE', 'application/ld+json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'SELECT', 'html'],
    ['text/tab-separated-values', 'ASK', 'notAcceptable'],
  ] as const)('%s for %s -> %s', (accept, form, expected) => {
    const a = chooseAnswer(accept, form);
    expect('notAcceptable' in a ? 'notAcceptable' : a.kind === 'html' ? 'html' : a.storeFormat).toBe(expected);
  });
});
