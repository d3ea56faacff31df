/**
 * The CKAN Action API beside a document, against the same server in the same run (part of the
 * server benchmark, bench/server.ts): requests/s of
 * - package_search of every package, the same request again (a kept answer, as a harvester paging
 *   the same search sees it),
 * - package_search of every package built for each request (`rows` changes each time, so no kept
 *   answer fits: the search, the sort and the JSON of every package, each time),
 * - package_show of one package (kept),
 * - the jamoat document in Turtle, as the reference: the ratio of each to it does not depend on
 *   the machine.
 */
import { type Figure, measure as measureHeaders, ratioRow } from './beside-document.js';

const measure = (origin: string, path: (n: number) => string, accept: string, seconds: number) => measureHeaders(origin, path, { accept, 'accept-encoding': 'gzip' }, seconds);

export async function ckanBench(origin: string, document: string, seconds: number): Promise<Record<string, string | number>[]> {
  const search = '/api/3/action/package_search?rows=1000';
  await (await fetch(`${origin}${search}`)).arrayBuffer(); // builds the packages of this data version
  const doc = await measure(origin, () => document, 'text/turtle', seconds);
  const kept = await measure(origin, () => search, 'application/json', seconds);
  // 900 different `rows` (all above the number of packages) cycle through the 128 kept answers.
  const built = await measure(origin, (n) => `/api/3/action/package_search?rows=${100 + (n % 900)}`, 'application/json', seconds);
  const show = await measure(origin, () => '/api/3/action/package_show?id=units', 'application/json', seconds);
  const row = (name: string, f: Figure) => ratioRow(name, f, doc);
  return [row('document (Turtle)', doc), row('package_search, kept answer', kept), row('package_search, built', built), row('package_show', show)];
}
