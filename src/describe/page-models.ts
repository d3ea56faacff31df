import type { CoverageModel, HomeModel, Labels, Lang } from '../html/models.js';
import { STD } from '../rdf/namespaces.js';
import type { Describer, Row } from './describe.js';
import { docPath } from './doc-path.js';

const prefixes = (base: string) => `PREFIX skos: <${STD.skos}>
PREFIX dct: <${STD.dct}>
PREFIX qb: <${STD.qb}>
PREFIX rdf: <${STD.rdf}>
PREFIX lg: <${base}def/lg#>
`;

/** Collects language-tagged values of one variable per key into language maps. */
function labelsBy(rows: Row[], key: string, variable: string): Map<string, Labels> {
  const out = new Map<string, Labels>();
  for (const r of rows) {
    const k = r[key]?.value;
    const l = r[variable];
    if (!k || !l?.lang) continue;
    const labels = out.get(k) ?? {};
    labels[l.lang as Lang] = l.value;
    out.set(k, labels);
  }
  return out;
}

export async function homeModel(d: Describer, base: string, opts: { triples: number; jamoatsExpected: number }): Promise<HomeModel> {
  const p = prefixes(base);
  const datasets = await d.select(`${p}SELECT ?ds ?title ?sample (COUNT(?obs) AS ?n) WHERE {
    ?ds a <${STD.dcat}Dataset> ; dct:title ?title ; lg:sampleData ?sample . OPTIONAL { ?obs qb:dataSet ?ds } } GROUP BY ?ds ?title ?sample ORDER BY ?ds`);
  const regions = await d.select(`${p}SELECT ?r ?code ?label (COUNT(DISTINCT ?d) AS ?n) WHERE {
    ?r a lg:Region ; lg:code ?code ; skos:prefLabel ?label . OPTIONAL { ?d lg:within ?r } } GROUP BY ?r ?code ?label ORDER BY ?code`);
  const counts = await d.select(`${p}SELECT ?level (COUNT(?u) AS ?n) WHERE { ?u lg:adminLevel ?level } GROUP BY ?level`);
  const count = (level: string) => Number(counts.find((c) => c.level?.value === `${base}def/lg#level-${level}`)?.n?.value ?? 0);
  const titles = labelsBy(datasets, 'ds', 'title');
  const names = labelsBy(regions, 'r', 'label');
  return {
    triples: opts.triples,
    datasets: [...titles].map(([iri, title]) => {
      const row = datasets.find((r) => r.ds?.value === iri);
      const n = Number(row?.n?.value ?? 0);
      return { iri, docPath: docPath(iri, base), title, sample: row?.sample?.value === 'true', ...(n > 0 ? { observations: n } : {}) };
    }),
    regions: [...names].map(([iri, labels]) => {
      const row = regions.find((r) => r.r?.value === iri);
      return { iri, docPath: docPath(iri, base), labels, code: row?.code?.value ?? '', districts: Number(row?.n?.value ?? 0) };
    }),
    counts: { regions: count('region'), districts: count('district'), jamoats: count('jamoat'), jamoatsExpected: opts.jamoatsExpected },
  };
}

export async function coverageModel(d: Describer, base: string): Promise<CoverageModel> {
  const p = prefixes(base);
  const districts = await d.select(`${p}SELECT ?d ?code ?label ?regionLabel ?status ?note (COUNT(DISTINCT ?j) AS ?n) WHERE {
    ?d lg:adminLevel lg:level-district ; lg:code ?code ; skos:prefLabel ?label ; lg:within ?r .
    ?r skos:prefLabel ?regionLabel .
    OPTIONAL { ?d lg:jamoatListStatus ?status } OPTIONAL { ?d skos:scopeNote ?note }
    OPTIONAL { ?j lg:within ?d } } GROUP BY ?d ?code ?label ?regionLabel ?status ?note ORDER BY ?code`);
  const stats = await d.select(`${p}SELECT ?ds ?title ?sample ?ind ?indLabel ?year (COUNT(DISTINCT ?area) AS ?units) WHERE {
    ?obs qb:dataSet ?ds ; qb:measureType ?ind ; lg:refPeriod ?year ; lg:refArea ?area .
    ?ds dct:title ?title ; lg:sampleData ?sample . ?ind skos:prefLabel ?indLabel } GROUP BY ?ds ?title ?sample ?ind ?indLabel ?year ORDER BY ?ds ?ind ?year`);
  const statDistricts = await d.select(`${p}SELECT DISTINCT ?ds ?d ?label WHERE { ?obs qb:dataSet ?ds ; lg:refArea ?a . ?a lg:within ?d . ?d lg:adminLevel lg:level-district ; skos:prefLabel ?label }`);

  const dLabels = labelsBy(districts, 'd', 'label');
  const rLabels = labelsBy(districts, 'd', 'regionLabel');
  const dsTitles = labelsBy(stats, 'ds', 'title');
  const indLabels = labelsBy(stats, 'ind', 'indLabel');
  const sdLabels = labelsBy(statDistricts, 'd', 'label');
  return {
    districts: [...dLabels].map(([iri, labels]) => {
      const row = districts.find((r) => r.d?.value === iri);
      const note = row?.note?.value;
      return {
        iri, docPath: docPath(iri, base), labels, code: row?.code?.value ?? '', region: rLabels.get(iri) ?? {},
        jamoatList: (row?.status?.value ?? '').replace(/.*#list-/, '') || 'unknown',
        ...(note ? { jamoatListNote: note } : {}),
        jamoats: Number(row?.n?.value ?? 0),
      };
    }),
    statistics: [...dsTitles].map(([ds, title]) => {
      const rows = stats.filter((r) => r.ds?.value === ds);
      const indicators = [...new Set(rows.map((r) => r.ind?.value ?? ''))].map((ind) => {
        const own = rows.filter((r) => r.ind?.value === ind);
        return {
          iri: ind, docPath: docPath(ind, base), labels: indLabels.get(ind) ?? {},
          years: [...new Set(own.map((r) => Number(r.year?.value)))].sort(),
          units: Math.max(...own.map((r) => Number(r.units?.value ?? 0))),
        };
      });
      const districtsOf = [...new Set(statDistricts.filter((r) => r.ds?.value === ds).map((r) => r.d?.value ?? ''))];
      return {
        dataset: { iri: ds, docPath: docPath(ds, base), title, sample: rows[0]?.sample?.value === 'true' },
        indicators,
        districts: districtsOf.map((dd) => ({ docPath: docPath(dd, base), labels: sdLabels.get(dd) ?? {} })),
      };
    }),
  };
}
