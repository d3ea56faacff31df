import N3 from 'n3';
import type { Literal, NamedNode } from '@rdfjs/types';
import { STD } from '../rdf/namespaces.js';
import { prefixes } from '../serialize/context.js';

/**
 * The triple pattern of a `/fragments` request, read from its query string as the Triple Pattern
 * Fragments specification has clients send it: the Hydra IriTemplate `{?subject,predicate,object}`
 * with `hydra:ExplicitRepresentation` (Hydra Core §"IriTemplate", variable representation): an IRI
 * as it is (`http://…`), a literal as `"lexical form"`, `"…"@lang` or `"…"^^datatype`, the lexical
 * form not escaped (everything between the first and the last `"`). Comunica's TPF client sends
 * exactly that (rdf-string's termToString).
 *
 * For people typing into the form we also take what LinkedDataFragments/Server.js takes
 * (`QuadPatternRouter`): an IRI in `<…>`, a datatype in `<…>`, and a prefixed name of our own
 * prefixes (`lg:Jamoat`, `xsd:integer`, the table of src/serialize/context.ts) where the local
 * part has no `/`, `#` or `:`, so no absolute IRI is ever read as one.
 *
 * An absent or empty parameter, a variable (`?x`) and a blank node (`_:b`, which in a pattern
 * matches anything, as in SPARQL) leave the position open. Anything else (a relative IRI, a
 * literal as subject or predicate, a malformed literal) is refused: Server.js would silently drop
 * the position and answer with more triples than asked for.
 */

export interface TriplePattern {
  subject?: NamedNode;
  predicate?: NamedNode;
  object?: NamedNode | Literal;
}

export interface FragmentRequest {
  pattern: TriplePattern;
  /** 1-based page number. */
  page: number;
}

/** A position, or the page, that cannot be read: 400 LG_ERR_BAD_PATTERN, naming the parameter. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
  readonly code = 'LG_ERR_BAD_PATTERN';
  readonly statusCode = 400;
  constructor(readonly parameter: string, readonly value: string, reason: string) {
    super(`${parameter}=${JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value)}: ${reason}`);
  }
}

/** Pages beyond this are refused rather than asking the store to skip ever more rows. */
export const MAX_PAGE = 100_000;

const { namedNode, literal } = N3.DataFactory;

/** RFC 3987 scheme, then anything but what SPARQL's IRIREF and N-Triples forbid (§19.5). */
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\u0000-\u0020<>"{}|^`\\]*$/;
/** Server.js's prefixedNameMatcher: a prefix, a colon, a local part with no `/`, `#` or `:`. */
const PREFIXED_NAME = /^([A-Za-z][A-Za-z0-9_-]*):([^/#:]*)$/;
/** BCP 47 as Turtle's LANGTAG has it. */
const LANGUAGE_TAG = /^[A-Za-z]+(?:-[A-Za-z0-9]+)*$/;
const LITERAL = /^"([^]*)"(?:@([^"]*)|\^\^([^"]*))?$/;

function isOpen(value: string): boolean {
  return value === '' || value.startsWith('?') || value.startsWith('$') || value.startsWith('_:');
}

function iri(parameter: string, value: string, base: string): NamedNode {
  const bracketed = /^<([^]*)>$/.exec(value);
  let text = bracketed ? (bracketed[1] as string) : value;
  if (!bracketed) {
    const m = PREFIXED_NAME.exec(text);
    const ns = m ? prefixes(base)[m[1] as string] : undefined;
    if (m && ns) text = ns + (m[2] as string);
  }
  if (!ABSOLUTE_IRI.test(text)) throw new PatternError(parameter, value, 'not an absolute IRI (write it whole, e.g. http://…, or with one of our prefixes, e.g. lg:Jamoat)');
  return namedNode(text);
}

function term(parameter: 'subject' | 'predicate' | 'object', value: string, base: string): NamedNode | Literal | undefined {
  if (isOpen(value)) return undefined;
  if (!value.startsWith('"')) return iri(parameter, value, base);
  if (parameter !== 'object') throw new PatternError(parameter, value, `a literal cannot be the ${parameter} of a triple`);
  const m = LITERAL.exec(value);
  if (!m) throw new PatternError(parameter, value, 'not a literal: write "text", "text"@en or "21314"^^xsd:integer');
  const [, lexical = '', language, datatype] = m;
  if (language !== undefined) {
    if (!LANGUAGE_TAG.test(language)) throw new PatternError(parameter, value, `"${language}" is not a language tag`);
    return literal(lexical, language.toLowerCase());
  }
  if (datatype !== undefined) {
    const dt = iri(parameter, datatype, base);
    return dt.value === `${STD.xsd}string` ? literal(lexical) : literal(lexical, dt);
  }
  return literal(lexical);
}

function single(query: Record<string, unknown>, name: string): string {
  const v = query[name];
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new PatternError(name, String(v), 'given more than once');
  return v.trim();
}

/** The pattern and page of a request's query string (`request.query` as Fastify parsed it). */
export function parseFragmentRequest(query: Record<string, unknown>, base: string): FragmentRequest {
  const pattern: TriplePattern = {};
  const subject = term('subject', single(query, 'subject'), base);
  const predicate = term('predicate', single(query, 'predicate'), base);
  const object = term('object', single(query, 'object'), base);
  if (subject) pattern.subject = subject as NamedNode;
  if (predicate) pattern.predicate = predicate as NamedNode;
  if (object) pattern.object = object;
  const pageText = single(query, 'page');
  if (pageText !== '' && !/^[1-9][0-9]{0,5}$/.test(pageText)) throw new PatternError('page', pageText, 'not a page number (1, 2, …)');
  const page = pageText === '' ? 1 : Number(pageText);
  if (page > MAX_PAGE) throw new PatternError('page', pageText, `pages go up to ${MAX_PAGE}`);
  return { pattern, page };
}

/**
 * A position in the Hydra explicit representation: what a client sends in the query string, and
 * what the form shows again.
 */
export function explicitForm(t: NamedNode | Literal): string {
  if (t.termType === 'NamedNode') return t.value;
  if (t.language) return `"${t.value}"@${t.language}`;
  if (t.datatype.value === `${STD.xsd}string`) return `"${t.value}"`;
  return `"${t.value}"^^${t.datatype.value}`;
}

/** The pattern as a SPARQL-like line for titles and descriptions, e.g. `{ ?s <…#code> "TJ-KT-06" . }`. */
export function patternText(p: TriplePattern): string {
  const show = (t: NamedNode | Literal | undefined, variable: string) => (!t ? variable : t.termType === 'NamedNode' ? `<${t.value}>` : explicitForm(t));
  return `{ ${show(p.subject, '?s')} ${show(p.predicate, '?p')} ${show(p.object, '?o')} . }`;
}
