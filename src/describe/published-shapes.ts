import { join } from 'node:path';
import type { Quad } from '@rdfjs/types';
import N3 from 'n3';
import { indicatorsFromVocab } from '../convert/indicators.js';
import { indicatorShapes } from '../convert/indicator-shapes.js';
import { loadShapes } from '../convert/validate-shacl.js';
import { PROJECT_ROOT } from '../project.js';
import { minted } from '../rdf/namespaces.js';
import { sparqlIri } from '../rdf/sparql-escape.js';
import type { LinkedDataStore } from '../store/store.js';

/** The document of the shapes: `/def/lg-shapes` (the IRI shapes/*.ttl give their ontology). */
export const SHAPES_PATH = 'def/lg-shapes';

/**
 * The SHACL shapes the data is checked with, as one document for others to validate their own
 * data against ours: the hand-written shapes of shapes/*.ttl (what this server's converter uses)
 * and the shapes generated from the indicators of the published vocabulary (indicator-shapes.ts),
 * which exist only in code otherwise.
 */
export async function publishedShapes(store: LinkedDataStore, base: string): Promise<Quad[]> {
  const written = await loadShapes(join(PROJECT_ROOT, 'shapes'), base);
  const vocabulary = await store.query(
    `CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ${sparqlIri(`${base}graph/vocabulary`)} { ?s ?p ?o } }`,
    { resultsFormat: 'application/n-triples' },
  );
  const vocabQuads = new N3.Parser({ format: 'N-Triples' }).parse(vocabulary);
  return [...written, ...indicatorShapes(indicatorsFromVocab(vocabQuads, minted(base)), base)];
}
