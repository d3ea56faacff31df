import type { CoverageModel, Labels, UnitRef } from '../html/models.js';
import { docPath } from './doc-path.js';

/**
 * What is missing for one district, region or the country (its profile's "what is missing"): the
 * coverage data (page-models.ts coverageModel, the same as /coverage) narrowed to the units inside
 * it. Pure.
 */
export interface MissingModel {
  /** Per dataset that expects figures inside this unit: the indicators and years some unit inside did not report. */
  gaps: {
    dataset: { docPath: string; title: Labels; sample: boolean };
    rows: { indicator: { docPath: string; labels: Labels }; year: number; reported: number; expected: number; missing: UnitRef[] }[];
    /** District-level units inside (a region's, the country's) with no figure at all in the dataset, of `districts`. */
    uncovered: UnitRef[];
    districts: number;
  }[];
  /** Datasets with no figure expected of any unit inside this one (they cover other districts only). */
  notCovered: { docPath: string; title: Labels; sample: boolean }[];
}

/**
 * @param inside the IRIs of the units inside this one at any depth (its jamoats, or a region's
 *   districts and their jamoats), and the unit itself.
 */
export function missingWithin(coverage: CoverageModel, inside: ReadonlySet<string>, base: string): MissingModel {
  const insidePaths = new Set([...inside].map((iri) => docPath(iri, base)));
  const gaps: MissingModel['gaps'] = [];
  const notCovered: MissingModel['notCovered'] = [];
  // The coverage expects figures only in the districts a dataset reports on: a region where one
  // district of eighteen reported would otherwise read as complete. The others are named too.
  const districtsInside = coverage.districts.filter((d) => inside.has(d.iri));
  for (const st of coverage.statistics) {
    const { docPath: path, title, sample } = st.dataset;
    const covered = new Set(st.districts.map((d) => d.docPath));
    const uncovered = districtsInside.filter((d) => !covered.has(d.docPath)).map(({ docPath: dp, labels, code }) => ({ docPath: dp, labels, code }));
    const rows: MissingModel['gaps'][number]['rows'] = [];
    let expectedAny = false;
    for (const ind of st.indicators) {
      for (const y of ind.years) {
        const reported = (y.reported ?? []).filter((u) => inside.has(u)).length;
        const missing = y.missing.filter((u) => insidePaths.has(u.docPath));
        if (reported + missing.length > 0) expectedAny = true;
        if (missing.length > 0) {
          rows.push({ indicator: { docPath: ind.docPath, labels: ind.labels }, year: y.year, reported, expected: reported + missing.length, missing });
        }
      }
    }
    if (!expectedAny) notCovered.push({ docPath: path, title, sample });
    else if (rows.length > 0 || uncovered.length > 0) gaps.push({ dataset: { docPath: path, title, sample }, rows, uncovered, districts: districtsInside.length });
  }
  return { gaps, notCovered };
}
