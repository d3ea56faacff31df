/**
 * What an upload would change, figure by figure, against what is published now: shown to the
 * publisher before sending and to the reviewer before approving.
 */
import type { ObservationRow } from '../convert/read-wide.js';
import type { Level } from '../convert/layout.js';
import { datasetIri, graphIri, unitIri } from '../rdf/mint-uri.js';
import { STD, minted } from '../rdf/namespaces.js';
import { sparqlIri } from '../rdf/sparql-escape.js';
import type { LinkedDataStore } from '../store/store.js';

/** One figure as published now. */
export interface CurrentFigure {
  unitCode: string;
  /** The indicator's id (skos:notation), e.g. "pupils". */
  indicator: string;
  year: number;
  value: number;
}

/** One figure the upload gives, with the figure it replaces (null: none) and where it is in the upload. */
export interface Change {
  unitCode: string;
  indicator: string;
  year: number;
  old: number | null;
  new: number | null;
  sheet?: string;
  row?: number;
  column?: string;
}

export interface Preview {
  added: Change[];
  changed: Change[];
  /** Figures the upload repeats as they are. */
  unchanged: number;
  /**
   * Always empty for an upload: an overlay only adds or replaces (a blank cell changes nothing).
   * Kept so a preview and a release's changeset have one shape.
   */
  removed: Change[];
}

const keyOf = (unit: string, indicator: string, year: number) => `${unit}|${indicator}|${year}`;
const byPlace = (a: Change, b: Change) =>
  a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : a.year - b.year;

export function previewChanges(upload: readonly ObservationRow[], current: readonly CurrentFigure[]): Preview {
  const now = new Map(current.map((c) => [keyOf(c.unitCode, c.indicator, c.year), c.value]));
  const added: Change[] = [];
  const changed: Change[] = [];
  let unchanged = 0;
  for (const r of upload) {
    const old = now.get(keyOf(r.unitCode, r.indicator.id, r.year));
    const change: Change = {
      unitCode: r.unitCode, indicator: r.indicator.id, year: r.year, old: old ?? null, new: r.value,
      ...(r.sheet !== undefined ? { sheet: r.sheet } : {}), row: r.row, column: r.column,
    };
    if (old === undefined) added.push(change);
    else if (old === r.value) unchanged++;
    else changed.push(change);
  }
  return { added: added.sort(byPlace), changed: changed.sort(byPlace), unchanged, removed: [] };
}

/** The level a code's form says (design.md: TJ, TJ-XX, TJ-XX-NN, TJ-XX-NN-NN); nothing else is accepted. */
function levelOf(code: string): Level {
  if (/^TJ$/.test(code)) return 'country';
  if (/^TJ-[A-Z]{2}$/.test(code)) return 'region';
  if (/^TJ-[A-Z]{2}-\d{2}$/.test(code)) return 'district';
  if (/^TJ-[A-Z]{2}-\d{2}-\d{2}$/.test(code)) return 'jamoat';
  throw new Error(`${JSON.stringify(code)} is not a unit code`);
}

interface Binding {
  area?: { value: string };
  notation?: { value: string };
  period?: { value: string };
  value?: { value: string };
}

/**
 * The observations of `dataset` published now for the given units, from the store. Every IRI in
 * the query is minted from a checked code or dataset id and escaped; no text of the upload is
 * pasted into it.
 */
export async function currentFigures(store: LinkedDataStore, opts: { base: string; dataset: string; unitCodes: readonly string[] }): Promise<CurrentFigure[]> {
  if (!/^[a-z][a-z0-9-]*$/.test(opts.dataset)) throw new Error(`${JSON.stringify(opts.dataset)} is not a dataset id`);
  const codes = [...new Set(opts.unitCodes)];
  if (codes.length === 0) return [];
  const ns = minted(opts.base);
  const codeOf = new Map(codes.map((c) => [unitIri(ns, levelOf(c), c).value, c]));
  const values = [...codeOf.keys()].map(sparqlIri).join(' ');
  const lg = `${opts.base}def/lg#`;
  const query = `PREFIX qb: <${STD.qb}>
PREFIX skos: <${STD.skos}>
PREFIX lg: ${sparqlIri(lg)}
SELECT ?area ?notation ?period ?value WHERE {
  VALUES ?area { ${values} }
  GRAPH ${sparqlIri(graphIri(ns, opts.dataset).value)} {
    ?o qb:dataSet ${sparqlIri(datasetIri(ns, opts.dataset).value)} ;
       lg:refArea ?area ;
       lg:refPeriod ?period ;
       qb:measureType ?measure ;
       ?measure ?value .
  }
  GRAPH ?vocabulary { ?measure skos:notation ?notation }
}`;
  const answer = JSON.parse(await store.query(query, { resultsFormat: 'application/sparql-results+json' })) as { results?: { bindings?: Binding[] } };
  const out: CurrentFigure[] = [];
  for (const b of answer.results?.bindings ?? []) {
    const unitCode = codeOf.get(b.area?.value ?? '');
    const year = /^(\d{4})/.exec(b.period?.value ?? '')?.[1];
    const value = Number(b.value?.value);
    if (unitCode === undefined || year === undefined || b.notation === undefined || !Number.isFinite(value)) continue;
    out.push({ unitCode, indicator: b.notation.value, year: Number(year), value });
  }
  return out.sort((a, b) => (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : a.year - b.year));
}
