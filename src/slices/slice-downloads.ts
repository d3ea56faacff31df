import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import type { DownloadFile } from '../catalog/dumps.js';
import type { Minted } from '../rdf/namespaces.js';
import { sliceFiles } from './slice-files.js';
import { type Slice, makeSlices } from './slice-rows.js';

/**
 * The slices of a build (issue #13): per region and per district-level unit, its units and all
 * their figures as `{level}-{code}.csv`, `.ttl` and `.xlsx` under /download/. Made at conversion
 * time from the quads the downloads are made from (everything but the distributions graph), so
 * they are served, checksummed and resumed like every other download (src/routes/download.ts).
 */
export async function sliceDownloads(quads: readonly Quad[], ns: Minted): Promise<{ slices: Slice[]; files: DownloadFile[] }> {
  const store = new N3.Store(quads as N3.Quad[]);
  const slices = makeSlices(store, ns);
  return { slices, files: await sliceFiles(slices, store, ns.base) };
}
