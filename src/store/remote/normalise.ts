/**
 * The remote store's answers made into what the embedded store gives, so routes and clients see no
 * difference. The remote store is always asked for SPARQL JSON (SELECT/ASK) or N-Triples
 * (CONSTRUCT/DESCRIBE), the two formats every store writes most faithfully; the format the caller
 * asked for is written here. Measured on Virtuoso 7.2 (Debian's), which:
 * - writes SPARQL JSON literals with a datatype as `"type": "typed-literal"` (the 2008 draft's
 *   name; SPARQL 1.1 Query Results JSON §3.2.2 says `literal`);
 * - answers xsd:boolean values as "1" and "0" in JSON (and "true"/"false" in N-Triples);
 * - stores a geo:wktLiteral as its own virtrdf:Geometry type, with single-precision coordinates
 *   (so the loader stores it under a datatype of ours, STORED_WKT, answered as geo:wktLiteral here);
 * - names blank nodes `nodeID://b10003` in JSON (a JSON bnode value is a bare label);
 * - writes its own TSV (quoted header names) and a Turtle with its own prefixes.
 * The value of a geometry is returned as stored (the text of the WKT).
 */
import N3 from 'n3';
import type { RdfFormatKey } from '../../serialize/formats.js';
import { STORED_WKT, WKT_LITERAL } from './graph-names.js';

const XSD_BOOLEAN = 'http://www.w3.org/2001/XMLSchema#boolean';
const VIRTUOSO_GEOMETRY = 'http://www.openlinksw.com/schemas/virtrdf#Geometry';
/** Our own stored form of geo:wktLiteral, which Virtuoso keeps as text (load-release.ts). */
const STORED_AS_WKT = new Set([VIRTUOSO_GEOMETRY, STORED_WKT]);

export type JsonTerm =
  | { type: 'uri'; value: string }
  | { type: 'bnode'; value: string }
  | { type: 'literal'; value: string; datatype?: string; 'xml:lang'?: string };

export interface JsonResults {
  head: { vars?: string[]; link?: string[] };
  results?: { bindings: Record<string, JsonTerm>[] };
  boolean?: boolean;
}

/** Parses the remote store's SPARQL JSON and puts every term in the form SPARQL 1.1 gives it. */
export function readJsonResults(text: string): JsonResults {
  const parsed = JSON.parse(text) as { head?: { vars?: string[]; link?: string[] }; results?: { bindings?: Record<string, Record<string, string>>[] }; boolean?: boolean | string | number };
  const head = { vars: parsed.head?.vars ?? [] };
  if (parsed.boolean !== undefined) return { head: {}, boolean: parsed.boolean === true || parsed.boolean === 'true' || parsed.boolean === 1 };
  const bindings = (parsed.results?.bindings ?? []).map((row) => {
    const out: Record<string, JsonTerm> = {};
    for (const [name, term] of Object.entries(row)) out[name] = jsonTerm(term);
    return out;
  });
  return { head, results: { bindings } };
}

function jsonTerm(t: Record<string, string>): JsonTerm {
  const value = t.value ?? '';
  if (t.type === 'uri') return { type: 'uri', value };
  if (t.type === 'bnode') return { type: 'bnode', value: value.replace(/^nodeID:\/\//, '').replace(/^_:/, '') };
  const lang = t['xml:lang'];
  if (lang !== undefined && lang !== '') return { type: 'literal', value, 'xml:lang': lang };
  const datatype = t.datatype !== undefined && STORED_AS_WKT.has(t.datatype) ? WKT_LITERAL : t.datatype;
  if (datatype === undefined || datatype === 'http://www.w3.org/2001/XMLSchema#string') return { type: 'literal', value };
  if (datatype === XSD_BOOLEAN && (value === '1' || value === '0')) return { type: 'literal', value: value === '1' ? 'true' : 'false', datatype };
  return { type: 'literal', value, datatype };
}

export function writeJsonResults(r: JsonResults): string {
  if (r.boolean !== undefined) return JSON.stringify({ head: {}, boolean: r.boolean });
  // One row per line, as Oxigraph does not, but as readers and our cut-results.ts take either way.
  const rows = (r.results?.bindings ?? []).map((b) => JSON.stringify(b));
  return `{"head":${JSON.stringify({ vars: r.head.vars ?? [] })},"results":{"bindings":[\n${rows.join(',\n')}\n]}}`;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** SPARQL Query Results XML Format §2. */
export function writeXmlResults(r: JsonResults): string {
  const open = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n';
  if (r.boolean !== undefined) return `${open}<head/>\n<boolean>${r.boolean}</boolean>\n</sparql>\n`;
  const vars = r.head.vars ?? [];
  const head = `<head>${vars.map((v) => `<variable name="${xmlEscape(v)}"/>`).join('')}</head>\n`;
  const rows = (r.results?.bindings ?? []).map((b) => {
    const cells = vars.filter((v) => b[v] !== undefined).map((v) => `<binding name="${xmlEscape(v)}">${xmlTerm(b[v]!)}</binding>`);
    return cells.length === 0 ? '<result/>' : `<result>${cells.join('')}</result>`;
  });
  return `${open}${head}<results>\n${rows.map((r) => r + '\n').join('')}</results>\n</sparql>\n`;
}

function xmlTerm(t: JsonTerm): string {
  if (t.type === 'uri') return `<uri>${xmlEscape(t.value)}</uri>`;
  if (t.type === 'bnode') return `<bnode>${xmlEscape(t.value)}</bnode>`;
  const attr = t['xml:lang'] !== undefined ? ` xml:lang="${xmlEscape(t['xml:lang'])}"` : t.datatype !== undefined ? ` datatype="${xmlEscape(t.datatype)}"` : '';
  return `<literal${attr}>${xmlEscape(t.value)}</literal>`;
}

/** SPARQL 1.1 Query Results CSV and TSV §2: plain values, CRLF line ends, fields quoted when needed. */
export function writeCsvResults(r: JsonResults): string {
  if (r.boolean !== undefined) return `_askResult\r\n${r.boolean}\r\n`;
  const vars = r.head.vars ?? [];
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const value = (t: JsonTerm | undefined) => (t === undefined ? '' : field(t.type === 'bnode' ? `_:${t.value}` : t.value));
  const lines = [vars.map(field).join(','), ...(r.results?.bindings ?? []).map((b) => vars.map((v) => value(b[v])).join(','))];
  return lines.map((l) => l + '\r\n').join('');
}

/** SPARQL 1.1 Query Results CSV and TSV §3: terms in Turtle syntax, `?`-named header. */
export function writeTsvResults(r: JsonResults): string {
  if (r.boolean !== undefined) return `?_askResult\n${r.boolean}\n`;
  const vars = r.head.vars ?? [];
  const lines = [vars.map((v) => `?${v}`).join('\t'), ...(r.results?.bindings ?? []).map((b) => vars.map((v) => (b[v] === undefined ? '' : turtleTerm(b[v]!))).join('\t'))];
  return lines.map((l) => l + '\n').join('');
}

function turtleTerm(t: JsonTerm): string {
  if (t.type === 'uri') return `<${t.value}>`;
  if (t.type === 'bnode') return `_:${t.value}`;
  const text = `"${t.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
  if (t['xml:lang'] !== undefined) return `${text}@${t['xml:lang']}`;
  return t.datatype !== undefined ? `${text}^^<${t.datatype}>` : text;
}

export function writeResults(r: JsonResults, format: string): string {
  switch (format) {
    case 'application/sparql-results+json':
      return writeJsonResults(r);
    case 'application/sparql-results+xml':
      return writeXmlResults(r);
    case 'text/csv':
      return writeCsvResults(r);
    case 'text/tab-separated-values':
      return writeTsvResults(r);
    default:
      throw new Error(`no SPARQL results format ${format}`);
  }
}

/** The remote store's N-Triples as quads, its geometry type back to geo:wktLiteral. */
export function readNTriples(text: string): N3.Quad[] {
  const { literal, namedNode, quad } = N3.DataFactory;
  return new N3.Parser({ format: 'N-Triples' }).parse(text).map((q) => {
    if (q.object.termType !== 'Literal') return q;
    if (!STORED_AS_WKT.has(q.object.datatype.value)) return q;
    return quad(q.subject, q.predicate, literal(q.object.value, namedNode(WKT_LITERAL)), q.graph);
  });
}

/** N-Triples text as N3 writes it: one triple per line, so it can be cut at line ends. */
export function writeNTriples(quads: readonly N3.Quad[]): string {
  return new N3.Writer({ format: 'N-Triples' }).quadsToString([...quads]);
}

export type { RdfFormatKey };
