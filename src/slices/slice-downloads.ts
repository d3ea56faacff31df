import type { DownloadFile } from '../catalog/dumps.js';
import type { Minted } from '../rdf/namespaces.js';
import type { QuadIndex } from '../rdf/quad-index.js';
import { sliceFiles } from './slice-files.js';
import { type Slice, makeSlices } from './slice-rows.js';

/**
 * The slices of a build (issue #13): per region and per district-level unit, its units and all
 * their figures as `{level}-{code}.csv`, `.ttl` and `.xlsx` under /download/. Made at conversion
 * time from the quads the downloads are made from (everything but the distributions graph), so
 * they are served, checksummed and resumed like every other download (src/routes/download.ts).
 * They read those quads through an index by subject and predicate (src/rdf/quad-index.ts), not a
 * store of them: at 10x the country the store was most of this step's time and memory. Each file
 * goes to `put` as soon as it is made (src/convert/download-sink.ts).
 */
export async function sliceDownloads(index: QuadIndex, ns: Minted, put: (f: DownloadFile) => Promise<unknown>): Promise<Slice[]> {
  const slices = makeSlices(index, ns);
  await sliceFiles(slices, index, ns.base, put);
  return slices;
}
