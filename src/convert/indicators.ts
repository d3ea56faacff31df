import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import { type Minted, qb, rdf, rdfs, skos, xsd } from '../rdf/namespaces.js';
import { cleanText, nameKey } from './parse-value.js';

/** An indicator as the converter needs it, read from vocab/indicators.ttl (not from code). */
export interface Indicator {
  id: string;
  iri: string;
  datatype: 'integer' | 'decimal';
  unit: string;
  topic: string;
  labels: Partial<Record<'tg' | 'ru' | 'en', string>>;
  /** Upper bound for percentages. */
  max?: number;
}

/**
 * Every `qb:MeasureProperty` of the vocabulary. Adding an indicator is a vocabulary edit: the
 * converter recognises it in a sheet header by its notation or any of its labels.
 */
export function indicatorsFromVocab(quads: Quad[], ns: Minted): Indicator[] {
  const store = new N3.Store(quads);
  const one = (s: N3.Term, p: N3.Term) => store.getObjects(s, p, null)[0]?.value;
  const out: Indicator[] = [];
  for (const s of store.getSubjects(rdf('type'), qb('MeasureProperty'), null)) {
    const range = one(s, rdfs('range'));
    const unit = one(s, ns.lg('unitOfMeasure'));
    const labels: Indicator['labels'] = {};
    for (const l of store.getObjects(s, skos('prefLabel'), null)) {
      const lang = (l as N3.Literal).language;
      if (lang === 'tg' || lang === 'ru' || lang === 'en') labels[lang] = l.value;
    }
    out.push({
      id: one(s, skos('notation')) ?? s.value.slice(ns.ind('').value.length),
      iri: s.value,
      datatype: range === xsd('integer').value ? 'integer' : 'decimal',
      unit: unit ?? '',
      topic: one(s, ns.lg('topic')) ?? '',
      labels,
      ...(unit === ns.lg('unit-percent').value ? { max: 100 } : {}),
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Matches a header cell to an indicator: its notation or any label, compared case- and
 * space-insensitively, with a trailing unit in parentheses ("Pupils (persons)") ignored.
 */
export function matchIndicator(header: string, indicators: Indicator[]): Indicator | undefined {
  const text = cleanText(header);
  const candidates = [nameKey(text), nameKey(text.replace(/\s*\([^()]*\)\s*$/, ''))];
  return indicators.find((ind) =>
    [ind.id, ...Object.values(ind.labels)].some((l) => candidates.includes(nameKey(l))),
  );
}
