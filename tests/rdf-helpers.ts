import N3 from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { BASE } from './server-helpers.js';

/** Canonical N-Triples lines, graph dropped, so triples from different parsers compare as sets. */
export function canonical(quads: Iterable<{ subject: N3.Term; predicate: N3.Term; object: N3.Term }>): Set<string> {
  const w = new N3.Writer({ format: 'N-Triples' });
  const out = new Set<string>();
  for (const q of quads) out.add(w.quadToString(q.subject as N3.Quad_Subject, q.predicate as N3.Quad_Predicate, q.object as N3.Quad_Object));
  return out;
}

/** RDF/XML read by an independent parser (rdfxml-streaming-parser), not the one that wrote it. */
export function parseRdfXml(text: string): Promise<N3.Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: N3.Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI: BASE, dataFactory: N3.DataFactory as never });
    parser.on('data', (q: N3.Quad) => quads.push(q)).on('error', reject).on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}

/** A jsonld.js document loader that fetches our context from the server under test, and nothing else. */
export function contextLoader(origin: () => string) {
  return async (url: string) => {
    if (url !== `${BASE}context.jsonld`) throw new Error(`the test refuses to fetch ${url}`);
    const r = await fetch(`${origin()}/context.jsonld`);
    return { contextUrl: undefined, documentUrl: url, document: await r.json() };
  };
}
