import { STD } from '../rdf/namespaces.js';
import type { Labels } from '../html/models.js';
import type { Describer } from './describe.js';

/** A unit that no longer exists, as the id and doc routes need it to answer its URI. */
export interface RetiredUnit {
  iri: string;
  code: string;
  labels: Labels;
  /** xsd:date text. */
  on: string;
  /** The IRI of the unit that replaced it, if any: its URI redirects there. */
  successor?: string;
  note?: string;
}

/** Every retired unit by IRI (lg:retiredOn, dct:isReplacedBy), read once per data version. */
export async function retiredUnits(d: Describer, base: string): Promise<Map<string, RetiredUnit>> {
  const rows = await d.select(`PREFIX lg: <${base}def/lg#>
SELECT ?s ?code ?on ?successor ?note ?label WHERE {
  ?s lg:retiredOn ?on ; lg:code ?code .
  OPTIONAL { ?s <${STD.dct}isReplacedBy> ?successor }
  OPTIONAL { ?s <${STD.skos}changeNote> ?note }
  OPTIONAL { ?s <${STD.skos}prefLabel> ?label }
}`);
  const out = new Map<string, RetiredUnit>();
  for (const r of rows) {
    const iri = r.s?.value ?? '';
    let unit = out.get(iri);
    if (!unit) {
      unit = {
        iri, code: r.code?.value ?? '', labels: {}, on: r.on?.value ?? '',
        ...(r.successor ? { successor: r.successor.value } : {}),
        ...(r.note ? { note: r.note.value } : {}),
      };
      out.set(iri, unit);
    }
    const lang = r.label?.lang;
    if (r.label && (lang === 'tg' || lang === 'ru' || lang === 'en')) unit.labels[lang] = r.label.value;
  }
  return out;
}
