/**
 * Triple Pattern Fragments beside a document, against the same server in the same run (part of
 * the server benchmark, bench/server.ts): requests/s of
 * - a cached fragment page (the same URL again: a prepared representation, as a document is),
 * - a fragment page built for each request (a new URL each time, `&run=n`, which the page echoes
 *   in its own URL: one CONSTRUCT of 100 triples in the store's worker and a TriG serialisation;
 *   the pattern's count is kept, as it is for a TPF client paging through a fragment),
 * - the jamoat document in Turtle, as the reference: the ratio of each to it does not depend on
 *   the machine.
 */
import { type Figure, measure as measureHeaders, ratioRow } from './beside-document.js';

const RDF_TYPE = encodeURIComponent('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');

const measure = (origin: string, path: (n: number) => string, accept: string, seconds: number) => measureHeaders(origin, path, { accept }, seconds);

export async function fragmentsBench(origin: string, document: string, seconds: number): Promise<Record<string, string | number>[]> {
  const page = `/fragments?predicate=${RDF_TYPE}&page=2`;
  await (await fetch(`${origin}${page}`, { headers: { accept: 'application/trig' } })).arrayBuffer(); // warms the count and the cache
  const doc = await measure(origin, () => document, 'text/turtle', seconds);
  const cached = await measure(origin, () => page, 'application/trig', seconds);
  const built = await measure(origin, (n) => `${page}&run=${n}`, 'application/trig', seconds);
  const row = (name: string, f: Figure) => ratioRow(name, f, doc);
  return [row('document (Turtle)', doc), row('fragment page, cached (TriG)', cached), row('fragment page, built (TriG)', built)];
}
