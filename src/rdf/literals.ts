import N3 from 'n3';
import type { Literal } from '@rdfjs/types';
import { xsd } from './namespaces.js';

const { literal } = N3.DataFactory;

/**
 * An xsd:decimal literal in its canonical lexical form (XSD 1.1: no exponent, no trailing zeros,
 * no decimal point for a whole number: "100", "10.2"). The store keeps numbers by value and gives
 * them back in this form, so the dumps (written from our quads) and the documents (read from the
 * store) carry the very same literal; with "100.0" they were different RDF terms.
 */
export function decimalLiteral(n: number): Literal {
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
  return literal(s === '-0' ? '0' : s, xsd('decimal'));
}

export function integerLiteral(n: number): Literal {
  return literal(String(n), xsd('integer'));
}
