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
  /**
   * skos:altLabel, any language: the other wordings departments use for it in their headers
   * ("Schoolchildren"), matched like the prefLabels but never shown.
   */
  altLabels: string[];
  /** The unit of measure's own labels (skos:prefLabel of lg:unit-…), for headers in each language. */
  unitLabels: Partial<Record<'tg' | 'ru' | 'en', string>>;
  /**
   * The topic's skos:notation ("education"): what a statistics dataset of data/datasets.json names
   * as its `topic`, so the indicators of a dataset are those whose lg:topic has that notation.
   */
  topicId: string;
  /** Upper bound for percentages. */
  max?: number;
  /**
   * `lg:aggregation lg:sum` in the vocabulary: the figures of the units below add up to the unit
   * above's (src/convert/aggregate.ts). Absent for shares and rates, which are never summed.
   */
  additive: boolean;
}

/**
 * Every `qb:MeasureProperty` of the vocabulary. Adding an indicator is a vocabulary edit: the
 * converter recognises it in a sheet header by its notation or any of its labels.
 */
export function indicatorsFromVocab(quads: Quad[], ns: Minted): Indicator[] {
  const store = new N3.Store(quads);
  const one = (s: N3.Term, p: N3.Term) => store.getObjects(s, p, null)[0]?.value;
  const prefLabels = (s: N3.Term): Indicator['labels'] => {
    const labels: Indicator['labels'] = {};
    for (const l of store.getObjects(s, skos('prefLabel'), null)) {
      const lang = (l as N3.Literal).language;
      if (lang === 'tg' || lang === 'ru' || lang === 'en') labels[lang] = l.value;
    }
    return labels;
  };
  const out: Indicator[] = [];
  for (const s of store.getSubjects(rdf('type'), qb('MeasureProperty'), null)) {
    const range = one(s, rdfs('range'));
    const unit = one(s, ns.lg('unitOfMeasure'));
    const topic = one(s, ns.lg('topic')) ?? '';
    out.push({
      id: one(s, skos('notation')) ?? s.value.slice(ns.ind('').value.length),
      iri: s.value,
      datatype: range === xsd('integer').value ? 'integer' : 'decimal',
      unit: unit ?? '',
      topic,
      labels: prefLabels(s),
      altLabels: store.getObjects(s, skos('altLabel'), null).map((l) => l.value).sort(),
      unitLabels: unit ? prefLabels(N3.DataFactory.namedNode(unit)) : {},
      topicId: topic ? (one(N3.DataFactory.namedNode(topic), skos('notation')) ?? '') : '',
      ...(unit === ns.lg('unit-percent').value ? { max: 100 } : {}),
      additive: one(s, ns.lg('aggregation')) === ns.lg('sum').value,
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The indicators of a statistics dataset: those whose topic is the dataset's `topic` in
 * data/datasets.json (vocab/lg.ttl gives each lg:topic-… concept that notation). A dataset without
 * a topic takes every indicator, as the converter does for the seed files.
 */
export function indicatorsOfTopic(indicators: Indicator[], topic: string | undefined): Indicator[] {
  return topic === undefined ? indicators : indicators.filter((i) => i.topicId === topic);
}

/**
 * Matches a header cell to an indicator: its skos:notation, any skos:prefLabel (tg, ru, en) or
 * any skos:altLabel, compared case- and space-insensitively, with a trailing unit in parentheses
 * ("Pupils (persons)") ignored. vocab/indicators.ttl and docs/data-model.md say the same.
 */
export function matchIndicator(header: string, indicators: Indicator[]): Indicator | undefined {
  const text = cleanText(header);
  const candidates = [nameKey(text), nameKey(text.replace(/\s*\([^()]*\)\s*$/, ''))];
  return indicators.find((ind) =>
    [ind.id, ...Object.values(ind.labels), ...ind.altLabels].some((l) => candidates.includes(nameKey(l))),
  );
}
