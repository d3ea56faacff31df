import N3 from 'n3';
import type { NamedNode, Quad, Term } from '@rdfjs/types';
import { STD, dct, foaf, namespace, rdf, xsd } from '../rdf/namespaces.js';
import { sparqlIri, sparqlString } from '../rdf/sparql-escape.js';
import { prefixes } from '../serialize/context.js';
import { ALL_DUMP, DUMP_KEYS, dumpName } from './download-formats.js';

/**
 * The VoID description of everything we publish (W3C Interest Group Note "Describing Linked
 * Datasets with the VoID Vocabulary", 2011), served at /.well-known/void (RFC 5785, VoID §7.2):
 * the whole dataset with its SPARQL endpoint, dump, URI space and vocabularies; one subset per
 * named graph; and one void:Linkset per target dataset and link predicate.
 *
 * Every number is counted in the store when the description is made (once per data version):
 * - void:triples: distinct triples (for a graph: its triples; for the whole: a triple stated in
 *   two graphs counts once);
 * - void:entities: distinct subjects whose IRI is in our URI space (VoID §4.5: "entities" are the
 *   resources matching void:uriSpace), i.e. what we mint and describe;
 * - void:classes, void:properties, void:distinctSubjects, void:distinctObjects: as named.
 */

export const VOID = 'http://rdfs.org/ns/void#';
const v = namespace(VOID);
const { quad, literal, namedNode } = N3.DataFactory;

/** The datasets we link to, by the start of their IRIs. */
export const LINK_TARGETS = [
  { id: 'wikidata', title: 'Wikidata', homepage: 'https://www.wikidata.org/', uriSpace: 'http://www.wikidata.org/entity/' },
  { id: 'geonames', title: 'GeoNames', homepage: 'https://www.geonames.org/', uriSpace: 'https://sws.geonames.org/' },
] as const;

export type Row = Record<string, { value: string; lang?: string } | undefined>;

export interface VoidSource {
  base: string;
  select: (sparql: string) => Promise<Row[]>;
}

const num = (r: Row, k: string) => Number(r[k]?.value ?? 0);
const count = (n: number) => literal(String(n), xsd('integer'));

/** Where a vocabulary's terms live: an IRI up to its last `#` or `/`. */
export function namespaceOf(iri: string): string {
  const i = Math.max(iri.lastIndexOf('#'), iri.lastIndexOf('/'));
  return iri.slice(0, i + 1);
}

export function voidDocumentIri(base: string): string {
  return `${base}.well-known/void`;
}

export async function voidQuads(src: VoidSource): Promise<Quad[]> {
  const { base, select } = src;
  const doc = namedNode(voidDocumentIri(base));
  const root = namedNode(`${doc.value}#dataset`);
  const out: Quad[] = [];
  const add = (s: NamedNode, p: NamedNode, o: Term) => out.push(quad(s, p, o as Quad['object']));
  const inSpace = `FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${sparqlString(base)}))`;

  const [perGraph, entities, classesPerGraph, whole, wholeEntities, wholeClasses, partitions, predicates, classes, titles, datasets] = await Promise.all([
    select('SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g'),
    select(`SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ${inSpace} } GROUP BY ?g`),
    select(`SELECT ?g (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g`),
    select('SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }'),
    select(`SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ${inSpace} }`),
    select('SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }'),
    select('SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c ORDER BY ?c'),
    select('SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }'),
    select('SELECT DISTINCT ?c WHERE { GRAPH ?g { ?s a ?c } }'),
    // The catalog itself, not the slices' catalog it holds (src/slices/slice-catalog.ts).
    select(`SELECT ?x ?title WHERE { ?x a <${STD.dcat}Catalog> ; <${STD.dct}title> ?title . FILTER(?x = ${sparqlIri(`${base}catalog`)}) }`),
    select(`SELECT ?ds WHERE { ?ds a <${STD.dcat}Dataset> }`),
  ]);
  const datasetIris = new Set(datasets.map((r) => r.ds?.value));

  add(doc, rdf('type'), v('DatasetDescription'));
  add(doc, dct('title'), literal('VoID description of the local-governance Linked Data', 'en'));
  add(doc, foaf('primaryTopic'), root);

  add(root, rdf('type'), v('Dataset'));
  for (const t of titles) if (t.title?.lang) add(root, dct('title'), literal(t.title.value, t.title.lang));
  const catalog = titles[0]?.x?.value;
  if (catalog) add(root, namedNode(`${STD.rdfs}seeAlso`), namedNode(catalog));
  add(root, foaf('homepage'), namedNode(base));
  add(root, v('sparqlEndpoint'), namedNode(`${base}sparql`));
  // VoID, "URI lookup endpoint": a client appends the URL-encoded URI of an entity and gets its
  // triples, here the Triple Pattern Fragment with that subject (/fragments, src/fragments/).
  add(root, v('uriLookupEndpoint'), namedNode(`${base}fragments?subject=`));
  add(root, v('dataDump'), namedNode(`${base}download/${ALL_DUMP}`));
  add(root, dct('description'), literal(`${ALL_DUMP} holds every named graph but ${base}graph/distributions, which lists the downloads with their sizes and checksums (a file cannot hold its own checksum); the SPARQL endpoint has them all.`, 'en'));
  add(root, v('uriSpace'), literal(base));
  // What every published triple was checked with, for others to check theirs (/def/lg-shapes).
  add(root, dct('conformsTo'), namedNode(`${base}def/lg-shapes`));
  add(root, v('feature'), namedNode('http://www.w3.org/ns/formats/N-Quads'));
  add(root, v('rootResource'), namedNode(`${base}id/country/TJ`));
  add(root, v('exampleResource'), namedNode(`${base}id/district/TJ-KT-06`));
  add(root, v('exampleResource'), namedNode(`${base}id/jamoat/TJ-KT-06-06`));
  const w = whole[0] ?? {};
  add(root, v('triples'), count(num(w, 'triples')));
  add(root, v('entities'), count(num(wholeEntities[0] ?? {}, 'n')));
  add(root, v('classes'), count(num(wholeClasses[0] ?? {}, 'n')));
  add(root, v('properties'), count(num(w, 'properties')));
  add(root, v('distinctSubjects'), count(num(w, 'subjects')));
  add(root, v('distinctObjects'), count(num(w, 'objects')));
  const vocabularies = new Set([...predicates.map((r) => r.p?.value ?? ''), ...classes.map((r) => r.c?.value ?? '')].filter((i) => i !== '').map(namespaceOf));
  for (const ns of [...vocabularies].sort()) add(root, v('vocabulary'), namedNode(ns));
  const known = Object.entries(prefixes(base)).sort((a, b) => b[1].length - a[1].length);
  partitions.forEach((r, i) => {
    // Named by the class's prefixed name where it has one (#class-lg-District), else by position.
    const c = r.c?.value ?? '';
    const hit = known.find(([, ns]) => c.startsWith(ns) && /^[A-Za-z][\w-]*$/.test(c.slice(ns.length)));
    const part = namedNode(`${doc.value}#class-${hit ? `${hit[0]}-${c.slice(hit[1].length)}` : i + 1}`);
    add(root, v('classPartition'), part);
    add(part, v('class'), namedNode(c));
    add(part, v('entities'), count(num(r, 'n')));
  });

  const byGraph = (rows: Row[], g: string) => rows.find((r) => r.g?.value === g) ?? {};
  for (const r of perGraph) {
    const g = r.g?.value ?? '';
    const subset = namedNode(g);
    const name = g.slice(`${base}graph/`.length);
    add(root, v('subset'), subset);
    add(subset, rdf('type'), v('Dataset'));
    add(subset, rdf('type'), namedNode('http://www.w3.org/ns/sparql-service-description#NamedGraph'));
    add(subset, namedNode('http://www.w3.org/ns/sparql-service-description#name'), subset);
    add(subset, v('triples'), count(num(r, 'triples')));
    add(subset, v('entities'), count(num(byGraph(entities, g), 'n')));
    add(subset, v('classes'), count(num(byGraph(classesPerGraph, g), 'n')));
    add(subset, v('properties'), count(num(r, 'properties')));
    add(subset, v('distinctSubjects'), count(num(r, 'subjects')));
    add(subset, v('distinctObjects'), count(num(r, 'objects')));
    add(subset, v('sparqlEndpoint'), namedNode(`${base}sparql`));
    const dataset = `${base}id/dataset/${name}`;
    if (datasetIris.has(dataset)) {
      add(subset, foaf('primaryTopic'), namedNode(dataset));
      // A dataset's dumps hold exactly its graph.
      for (const key of DUMP_KEYS.filter((k) => k !== 'csv' && k !== 'hxl.csv')) add(subset, v('dataDump'), namedNode(`${base}download/${dumpName(name, key)}`));
    }
    add(subset, dct('title'), literal(`Named graph ${name}`, 'en'));
  }

  for (const target of LINK_TARGETS) {
    const t = namedNode(`${doc.value}#${target.id}`);
    const links = await select(`SELECT ?g ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o) && STRSTARTS(STR(?o), ${sparqlString(target.uriSpace)})) } GROUP BY ?g ?p ORDER BY ?g ?p`);
    if (links.length === 0) continue;
    add(t, rdf('type'), v('Dataset'));
    add(t, dct('title'), literal(target.title, 'en'));
    add(t, foaf('homepage'), namedNode(target.homepage));
    add(t, v('uriSpace'), literal(target.uriSpace));
    for (const l of links) {
      const g = l.g?.value ?? '';
      const p = l.p?.value ?? '';
      const linkset = namedNode(`${doc.value}#links-${target.id}-${g.slice(`${base}graph/`.length)}-${p.slice(namespaceOf(p).length)}`);
      add(root, v('subset'), linkset);
      add(linkset, rdf('type'), v('Linkset'));
      add(linkset, v('linkPredicate'), namedNode(p));
      add(linkset, v('subjectsTarget'), namedNode(g));
      add(linkset, v('objectsTarget'), t);
      add(linkset, v('triples'), count(num(l, 'n')));
    }
  }
  return out;
}
