import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import jsonld from 'jsonld';
import N3 from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { SparqlJsonParser } from 'sparqljson-parse';
import { SparqlXmlParser } from 'sparqlxml-parse';

/**
 * Every answer format read back by a parser that is not ours and not Oxigraph's: sparqljson-parse
 * and sparqlxml-parse (Comunica's SPARQL client libraries), csv-parse for CSV and TSV (with N3.js
 * reading each TSV cell as a Turtle term), N3.js, jsonld.js and rdfxml-streaming-parser for RDF.
 * Rows come out as `{ var: N-Triples term }` (CSV: the plain value, all CSV keeps), so the formats
 * can be compared with each other.
 */

export type Row = Record<string, string>;
export interface Table {
  vars: string[];
  rows: Row[];
}

type TermLike = { termType: string };
const id = (t: TermLike) => N3.termToId(t as N3.Term);

export async function parseResults(type: string, text: string): Promise<Table> {
  if (type.startsWith('application/sparql-results+json')) {
    const json = JSON.parse(text) as { head: { vars: string[] } };
    const rows = new SparqlJsonParser().parseJsonResults(json).map((b) => Object.fromEntries(Object.entries(b).map(([k, t]) => [k.replace(/^\?/, ''), id(t)])));
    return { vars: json.head.vars, rows };
  }
  if (type.startsWith('application/sparql-results+xml')) {
    const parser = new SparqlXmlParser();
    let vars: string[] = [];
    const rows: Row[] = [];
    const stream = parser.parseXmlResultsStream(Readable.from([text]));
    stream.on('variables', (v: { value: string }[]) => { vars = v.map((x) => x.value); });
    for await (const b of stream as AsyncIterable<Record<string, TermLike>>) rows.push(Object.fromEntries(Object.entries(b).map(([k, t]) => [k.replace(/^\?/, ''), id(t)])));
    return { vars, rows };
  }
  const tsv = type.startsWith('text/tab-separated-values');
  const records = parseCsv(text, { delimiter: tsv ? '\t' : ',', quote: tsv ? false : '"', relax_column_count: false, record_delimiter: tsv ? '\n' : '\r\n' }) as string[][];
  const [head = [], ...body] = records;
  const vars = head.map((v) => v.replace(/^\?/, ''));
  const cell = (v: string) => (tsv ? tsvTerm(v) : v);
  return { vars, rows: body.map((r) => Object.fromEntries(r.flatMap((v, i) => (v === '' ? [] : [[vars[i] as string, cell(v)]])))) };
}

function tsvTerm(cell: string): string {
  if (cell.startsWith('_:')) return cell;
  const [q] = new N3.Parser().parse(`<urn:s> <urn:p> ${cell} .`);
  return id(q?.object as N3.Term);
}

export async function parseBoolean(type: string, text: string): Promise<boolean> {
  if (type.startsWith('application/sparql-results+json')) return new SparqlJsonParser().parseJsonBoolean(JSON.parse(text));
  return new SparqlXmlParser().parseXmlBooleanStream(Readable.from([text]));
}

/** CSV keeps only values: the JSON rows reduced to what CSV can say. */
export function valuesOnly(table: Table): Table {
  const value = (t: string) => (t.startsWith('"') ? (N3.termFromId(t) as N3.Literal).value : t.startsWith('_:') ? t : t);
  return { vars: table.vars, rows: table.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, value(v)]))) };
}

/** The triples of an RDF document as N-Triples lines (graph names dropped). */
export async function parseGraph(type: string, text: string, base: string): Promise<Set<string>> {
  let quads: N3.Quad[];
  if (type.startsWith('application/ld+json')) {
    // Our JSON-LD names the published context by URL; the test hands jsonld.js the one it needs.
    const nquads = (await jsonld.toRDF(JSON.parse(text) as object, { format: 'application/n-quads', documentLoader: contextLoader as never })) as unknown as string;
    quads = new N3.Parser({ format: 'N-Quads' }).parse(nquads);
  } else if (type.startsWith('application/rdf+xml')) {
    quads = await new Promise((resolve, reject) => {
      const out: N3.Quad[] = [];
      const p = new RdfXmlParser({ baseIRI: base, dataFactory: N3.DataFactory as never });
      p.on('data', (q: N3.Quad) => out.push(q)).on('error', reject).on('end', () => resolve(out));
      p.end(text);
    });
  } else {
    quads = new N3.Parser({ format: type.split(';')[0], baseIRI: base }).parse(text);
  }
  const w = new N3.Writer({ format: 'N-Triples' });
  return new Set(quads.map((q) => w.quadToString(q.subject, q.predicate, q.object)));
}

let contextLoader: (url: string) => Promise<unknown> = async (url) => {
  throw new Error(`no document loader for ${url}`);
};

/** Lets jsonld.js fetch our context from the server under test (the data's base is not that server). */
export function setContextLoader(origin: string, base: string): void {
  contextLoader = async (url: string) => {
    if (url !== `${base}context.jsonld`) throw new Error(`the test refuses to fetch ${url}`);
    const r = await fetch(`${origin}/context.jsonld`);
    return { contextUrl: undefined, documentUrl: url, document: await r.json() };
  };
}
