import { negotiate } from '../http/negotiate.js';
import { RDF_MEDIA_TYPES, contentType, formatByMediaType } from '../serialize/formats.js';
import type { ResultsFormat } from './cut-results.js';
import type { QueryForm } from './prepare-query.js';

/**
 * The one table of what a query's answer can be sent as (style.md "Avoid 4": media types through
 * one explicit table), and the choice among them for an Accept header (RFC 9110 §12.5.1 via
 * `negotiate`). SPARQL 1.1 Protocol §2.1.5 (Accepted Response Formats) leaves the choice to content negotiation:
 * - SELECT: SPARQL Results JSON, XML, CSV and TSV; ASK: JSON and XML (the CSV/TSV
 *   recommendation defines no boolean form).
 * - CONSTRUCT and DESCRIBE: every RDF format of design.md.
 * - Any form: an HTML page for a browser (a form submitted from the editor, a link to a query).
 * `*` / `*` and no Accept header get the first entry (SPARQL JSON, or Turtle): clients that name no
 * type are programs, and a browser always names text/html. `application/json` and
 * `application/xml` are answered with the SPARQL results type of that syntax (JSON-LD for a graph).
 */

export type Answer =
  | { kind: 'results'; storeFormat: ResultsFormat; contentType: string }
  | { kind: 'rdf'; storeFormat: string; contentType: string }
  | { kind: 'html' };

const RESULTS: Record<string, { format: ResultsFormat; contentType: string }> = {
  'application/sparql-results+json': { format: 'application/sparql-results+json', contentType: 'application/sparql-results+json' },
  'application/sparql-results+xml': { format: 'application/sparql-results+xml', contentType: 'application/sparql-results+xml; charset=utf-8' },
  'text/csv': { format: 'text/csv', contentType: 'text/csv; charset=utf-8' },
  'text/tab-separated-values': { format: 'text/tab-separated-values', contentType: 'text/tab-separated-values; charset=utf-8' },
};
/** Plain JSON and XML: listed after the real types, so they never win a tie. */
const RESULT_ALIASES: Record<string, string> = {
  'application/json': 'application/sparql-results+json',
  'application/xml': 'application/sparql-results+xml',
};

const SELECT_TYPES = ['application/sparql-results+json', 'application/sparql-results+xml', 'text/csv', 'text/tab-separated-values'];
const ASK_TYPES = ['application/sparql-results+json', 'application/sparql-results+xml'];

/** The media types a query form can be answered with, in our order of preference. */
export function answerTypes(form: QueryForm): readonly string[] {
  if (form === 'CONSTRUCT' || form === 'DESCRIBE') return [...RDF_MEDIA_TYPES, 'text/html'];
  return [...(form === 'SELECT' ? SELECT_TYPES : ASK_TYPES), 'text/html'];
}

/** The answer for an Accept header, or the list of what is available (the route answers 406). */
export function chooseAnswer(accept: string | undefined, form: QueryForm): Answer | { notAcceptable: readonly string[] } {
  const types = answerTypes(form);
  const graph = form === 'CONSTRUCT' || form === 'DESCRIBE';
  const chosen = negotiate(accept, graph ? types : [...types, ...Object.keys(RESULT_ALIASES)]);
  if ('notAcceptable' in chosen) return { notAcceptable: types };
  if (chosen.type === 'text/html') return { kind: 'html' };
  if (graph) {
    const format = formatByMediaType(chosen.type);
    if (!format) return { notAcceptable: types };
    return { kind: 'rdf', storeFormat: format.mediaType, contentType: contentType(format) };
  }
  const entry = RESULTS[RESULT_ALIASES[chosen.type] ?? chosen.type];
  return entry ? { kind: 'results', storeFormat: entry.format, contentType: entry.contentType } : { notAcceptable: types };
}
