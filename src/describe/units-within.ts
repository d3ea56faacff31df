import { sparqlIri } from '../rdf/sparql-escape.js';
import type { Describer } from './describe.js';

/**
 * The units inside `iri` at any depth (a district's jamoats; a region's districts and their
 * jamoats; every unit of the country), and `iri` itself: what a profile's "what is missing" is
 * narrowed to (src/describe/missing-model.ts). Retired units are left out, as the coverage does.
 */
export async function unitsWithin(d: Describer, iri: string, base: string): Promise<Set<string>> {
  const rows = await d.select(`SELECT DISTINCT ?u WHERE { ?u <${base}def/lg#within>+ ${sparqlIri(iri)} FILTER NOT EXISTS { ?u <${base}def/lg#retiredOn> ?gone } }`);
  return new Set([iri, ...rows.map((r) => r.u?.value ?? '').filter((u) => u !== '')]);
}
