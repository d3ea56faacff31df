/**
 * Escaping for values that go into SPARQL text (SPARQL 1.1 Query §19.5 IRIREF, §19.7 escapes).
 * Nothing a client sends is pasted into a query without passing through one of these.
 */
export class UnsafeIriError extends Error {}

/** `<iri>` for a SPARQL query; refuses characters IRIREF does not allow instead of guessing. */
export function sparqlIri(iri: string): string {
  // IRIREF ::= '<' ([^<>"{}|^`\]-[#x00-#x20])* '>'
  if (/[\u0000-\u0020<>"{}|^`\\]/.test(iri)) throw new UnsafeIriError(`not a valid IRI for SPARQL: ${JSON.stringify(iri)}`);
  return `<${iri}>`;
}

/** A SPARQL string literal with every special character escaped (ECHAR). */
export function sparqlString(s: string): string {
  return `"${s.replace(/[\\"\n\r\t\u0008\u000C]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0008': '\\b', '\u000C': '\\f' })[c] ?? c)}"`;
}
