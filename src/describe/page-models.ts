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

/** "TJ-KT-06-10" after "TJ-KT-06-9"? No: codes sort as their numeric parts do. */
const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code, 'en', { numeric: true });

export async function coverageModel(d: Describer, base: string): Promise<CoverageModel> {
  const p = prefixes(base);
  // Labels are read apart from the facts: joined to them, every language multiplies the rows and
  // the labels a district's region is known by end up in whatever order the rows come.
  const districts = await d.select(`${p}SELECT ?d ?code ?r ?rcode ?status (SAMPLE(?note) AS ?anyNote) (COUNT(DISTINCT ?j) AS ?n) WHERE {
    ?d lg:adminLevel lg:level-district ; lg:code ?code ; lg:within ?r . ?r lg:code ?rcode .
    FILTER NOT EXISTS { ?d lg:retiredOn ?gone }
    OPTIONAL { ?d lg:jamoatListStatus ?status } OPTIONAL { ?d skos:scopeNote ?note }
    OPTIONAL { ?j lg:within ?d FILTER NOT EXISTS { ?j lg:retiredOn ?jgone } } } GROUP BY ?d ?code ?r ?rcode ?status`);
  const units = await d.select(`${p}SELECT ?u ?code ?level ?parent WHERE {
    ?u lg:adminLevel ?level ; lg:code ?code . OPTIONAL { ?u lg:within ?parent }
    FILTER NOT EXISTS { ?u lg:retiredOn ?gone } }`);
  const unitLabels = await d.select(`${p}SELECT ?u ?label WHERE { ?u lg:adminLevel ?level ; skos:prefLabel ?label }`);
  const stats = await d.select(`${p}SELECT ?ds ?title ?sample ?ind ?indLabel WHERE {
    { SELECT DISTINCT ?ds ?ind WHERE { ?obs qb:dataSet ?ds ; qb:measureType ?ind } }
    ?ds dct:title ?title ; lg:sampleData ?sample . ?ind skos:prefLabel ?indLabel }`);
  // Coverage is of the figures reported: a computed total (its own qb:DataSet, untitled) is none.
  const figures = await d.select(`${p}SELECT DISTINCT ?ds ?ind ?year ?area WHERE { ?obs qb:dataSet ?ds ; qb:measureType ?ind ; lg:refPeriod ?year ; lg:refArea ?area FILTER NOT EXISTS { ?obs lg:computed true } }`);

  const labels = labelsBy(unitLabels, 'u', 'label');
  const unitBy = new Map(units.map((r) => [r.u?.value ?? '', { code: r.code?.value ?? '', level: r.level?.value ?? '', parent: r.parent?.value }]));
  const ref = (iri: string) => ({ docPath: docPath(iri, base), labels: labels.get(iri) ?? {}, code: unitBy.get(iri)?.code ?? '' });

  const districtRows: CoverageModel['districts'] = districts.map((row) => {
    const iri = row.d?.value ?? '';
    const note = row.anyNote?.value;
    return {
      iri, docPath: docPath(iri, base), labels: labels.get(iri) ?? {}, code: row.code?.value ?? '',
      region: { iri: row.r?.value ?? '', code: row.rcode?.value ?? '', labels: labels.get(row.r?.value ?? '') ?? {} },
      jamoatList: (row.status?.value ?? '').replace(/.*#list-/, '') || 'unknown',
      ...(note ? { jamoatListNote: note } : {}),
      jamoats: Number(row.n?.value ?? 0),
    };
  }).sort(byCode);

  const dsTitles = labelsBy(stats, 'ds', 'title');
  const indLabels = labelsBy(stats, 'ind', 'indLabel');
  const statistics = [...dsTitles].map(([ds, title]) => {
    const own = figures.filter((r) => r.ds?.value === ds);
    const areas = new Set(own.map((r) => r.area?.value ?? ''));
    // The units a figure is expected for: every unit of the levels this dataset reports, in the
    // districts it covers (a district it reports on, or the district of a jamoat it reports on).
    const levels = new Set([...areas].map((a) => unitBy.get(a)?.level));
    const districtOf = (a: string) => (unitBy.get(a)?.level?.endsWith('level-district') ? a : unitBy.get(a)?.parent);
    const covered = new Set([...areas].map(districtOf).filter((x): x is string => x !== undefined));
    const expected = [...unitBy].filter(([iri, u]) => levels.has(u.level) && covered.has(districtOf(iri) ?? '')).map(([iri]) => iri);
    const indicators = [...new Set(own.map((r) => r.ind?.value ?? ''))].sort().map((ind) => {
      const ofInd = own.filter((r) => r.ind?.value === ind);
      const years = [...new Set(ofInd.map((r) => Number(r.year?.value)))].sort((a, b) => a - b).map((year) => {
        const have = new Set(ofInd.filter((r) => Number(r.year?.value) === year).map((r) => r.area?.value ?? ''));
        return { year, units: have.size, reported: [...have].sort(), missing: expected.filter((u) => !have.has(u)).map(ref).sort(byCode) };
      });
      return { iri: ind, docPath: docPath(ind, base), labels: indLabels.get(ind) ?? {}, years };
    });
    return {
      dataset: { iri: ds, docPath: docPath(ds, base), title, sample: stats.find((r) => r.ds?.value === ds)?.sample?.value === 'true' },
      indicators,
      districts: [...covered].map(ref).sort(byCode),
    };
  });
  return { districts: districtRows, statistics };
}
