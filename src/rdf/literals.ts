import N3 from 'n3';
import type { Literal } from '@rdfjs/types';
import { xsd } from './namespaces.js';

const { literal } = N3.DataFactory;

/**
 * An xsd:decimal literal in a lexical form that is stable across runs and never uses exponent
 * notation, which xsd:decimal does not allow.
 */
export function decimalLiteral(n: number): Literal {
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
  if (!s.includes('.')) s += '.0';
  return literal(s, xsd('decimal'));
}

export function integerLiteral(n: number): Literal {
  return literal(String(n), xsd('integer'));
}
