import N3 from 'n3';
import type { NamedNode } from '@rdfjs/types';
import type { Level } from '../convert/layout.js';
import { STD, type Minted } from './namespaces.js';

const { namedNode } = N3.DataFactory;

/**
 * Every URI the converter mints, in one place, following design.md's patterns. Codes are opaque
 * and already validated as ASCII; nothing here derives a URI from a name.
 */
export function unitIri(ns: Minted, level: Level, code: string): NamedNode {
  return ns.id(`${level}/${code}`);
}

export function governingBodyIri(ns: Minted, level: Level, code: string): NamedNode {
  return ns.id(level === 'jamoat' ? `jamoat-body/${code}` : `hukumat/${code}`);
}

export function datasetIri(ns: Minted, dataset: string): NamedNode {
  return ns.id(`dataset/${dataset}`);
}

export function graphIri(ns: Minted, dataset: string): NamedNode {
  return ns.graph(dataset);
}

export function observationIri(ns: Minted, o: { dataset: string; unitCode: string; indicator: string; year: number }): NamedNode {
  return ns.id(`observation/${o.dataset}/${o.unitCode}/${o.indicator}/${o.year}`);
}

export function publisherIri(ns: Minted, id: string): NamedNode {
  return ns.id(`organisation/${id}`);
}

export function converterIri(ns: Minted): NamedNode {
  return ns.id('software/converter');
}

/** The original spreadsheet, as published under /download/ (design.md "Fixed paths"). */
export function sourceFileIri(ns: Minted, fileName: string): NamedNode {
  return ns.download(encodeURIComponent(fileName));
}

/**
 * One row of a source file: RFC 7111 `#row=N` for CSV; XLSX has no registered fragment syntax,
 * so `#sheet=NAME&row=N` follows the same style.
 */
export function sourceRowIri(ns: Minted, fileName: string, at: { sheet?: string; row: number }): NamedNode {
  const file = sourceFileIri(ns, fileName).value;
  const fragment = at.sheet === undefined ? `row=${at.row}` : `sheet=${encodeURIComponent(at.sheet)}&row=${at.row}`;
  return namedNode(`${file}#${fragment}`);
}

/** Expands a CURIE from a layout file (`skos:prefLabel`, `lg:population`) to a full IRI. */
export function expandCurie(ns: Minted, curie: string): NamedNode {
  const [prefix, local] = curie.split(':') as [string, string];
  if (prefix === 'lg') return ns.lg(local);
  if (prefix === 'ind') return ns.ind(local);
  const known = (STD as Record<string, string>)[prefix];
  if (!known) throw new Error(`unknown prefix "${prefix}" in "${curie}"`);
  return namedNode(known + local);
}
