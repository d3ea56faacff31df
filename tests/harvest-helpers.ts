import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import N3 from 'n3';
import { expect } from 'vitest';
import { BASE, startApp } from './server-helpers.js';

/**
 * The real app on a loopback port, for tests that act as an outside client would: an aggregator
 * harvesting the catalog, a user downloading files. URLs in the data start with BASE; `local`
 * turns one into the URL of the server under test.
 */
export interface Loopback {
  app: FastifyInstance;
  origin: string;
  local: (iri: string) => string;
  fetchOk: (iri: string, accept?: string) => Promise<Response>;
}

export async function startLoopback(): Promise<Loopback> {
  const app = await startApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const local = (iri: string) => (iri.startsWith(BASE) ? `${origin}/${iri.slice(BASE.length)}` : iri);
  const fetchOk = async (iri: string, accept = '*/*') => {
    const r = await fetch(local(iri), { headers: { accept } });
    expect(r.status, `${iri} as ${accept}`).toBe(200);
    return r;
  };
  return { app, origin, local, fetchOk };
}

/**
 * A jsonld.js document loader that fetches our context from the server under test, over HTTP,
 * and refuses every other URL: the harvest must not depend on anything but our own server.
 */
export function contextLoader(origin: string) {
  return async (url: string) => {
    if (url !== `${BASE}context.jsonld`) throw new Error(`the test refuses to fetch ${url}`);
    const r = await fetch(`${origin}/context.jsonld`);
    return { contextUrl: undefined, documentUrl: url, document: (await r.json()) as object };
  };
}

export function parseTurtle(text: string): N3.Quad[] {
  return new N3.Parser({ baseIRI: BASE }).parse(text);
}

/** Triples as canonical N-Triples lines (graph dropped), to compare what different parsers read. */
export function tripleSet(quads: Iterable<{ subject: N3.Term; predicate: N3.Term; object: N3.Term }>): Set<string> {
  const w = new N3.Writer({ format: 'N-Triples' });
  const out = new Set<string>();
  for (const q of quads) out.add(w.quadToString(q.subject as N3.Quad_Subject, q.predicate as N3.Quad_Predicate, q.object as N3.Quad_Object));
  return out;
}
