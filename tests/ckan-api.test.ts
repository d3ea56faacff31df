import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Loopback, parseTurtle, startLoopback } from './harvest-helpers.js';
import { BASE } from './server-helpers.js';

/**
 * The CKAN Action API (src/ckan/) as CKAN's own harvester and HDX's client use it, over real HTTP
 * on 127.0.0.1: the request sequences are the fixtures in tests/fixtures/ckan/ (read from
 * ckanext-harvest and hdx-python-api), every answer is checked against the JSON Schema of CKAN's
 * responses there, and what the harvest collects is compared with /catalog and with SPARQL.
 */

const FIXTURES = join(import.meta.dirname, 'fixtures', 'ckan');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const schema = fixture('ckan-2.10-action-responses.schema.json');
const harvester = fixture('ckanext-harvest.json') as { runs: { name: string; requests: Req[] }[] };
const hdx = fixture('hdx-python-api.json') as { runs: { name: string; requests: Req[] }[] };
type Req = { method: 'GET' | 'POST'; action: string; params?: Record<string, string>; body?: Record<string, unknown>; paged?: boolean };

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function checkSchema(kind: string, body: unknown): void {
  let v = validators.get(kind);
  if (!v) {
    v = ajv.getSchema(`${schema.$id}#/definitions/responses/${kind}`);
    if (!v) throw new Error(`no schema for ${kind}`);
    validators.set(kind, v);
  }
  expect(v(body), `${kind}: ${ajv.errorsText(v.errors)}`).toBe(true);
}

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const SPDX = 'http://spdx.org/rdf/terms#';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';

interface Answer { status: number; body: any; headers: Headers }
interface CatalogDataset {
  iri: string; id: string; name: string; title: string; modified: string; sample: boolean; note?: string; keywords: string[];
  temporal: boolean; provenance?: string; derivedFrom: string[]; distributions: { url: string; bytes?: number; sha256?: string; format: string }[];
}

let lb: Loopback;
let catalog: Map<string, CatalogDataset>;
let sparqlIds: string[];

/** Every answer goes through here: checked against the schema of its action (or of CKAN's bare 400). */
async function call(req: Req, prefix = '/api/3/action/'): Promise<Answer> {
  const url = `${lb.origin}${prefix}${req.action}`;
  const r = req.method === 'GET'
    ? await fetch(`${url}?${new URLSearchParams(req.params ?? {})}`)
    : await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body ?? {}) });
  expect(r.headers.get('content-type')).toBe('application/json;charset=utf-8');
  const body = await r.json();
  const kind = typeof body === 'string' ? 'unknown' : (schema.definitions.responses[req.action] ? req.action : 'write');
  checkSchema(kind, body);
  return { status: r.status, body, headers: r.headers };
}

/** ckanext-harvest's _search_for_datasets: start += rows until an empty page; ids seen before are dropped. */
async function harvest(req: Req): Promise<{ packages: any[]; requests: number }> {
  const params = { ...(req.params as Record<string, string>) };
  const packages: any[] = [];
  const seen = new Set<string>();
  let previous: string | undefined;
  for (let requests = 1; ; requests++) {
    const a = await call({ ...req, params });
    expect(a.status).toBe(200);
    const text = JSON.stringify(a.body);
    expect(text, 'the paging does not seem to work').not.toBe(previous);
    previous = text;
    const page = (a.body.result.results as any[]).filter((p) => !seen.has(p.id));
    for (const p of page) seen.add(p.id);
    packages.push(...page);
    if (a.body.result.results.length === 0) return { packages, requests };
    params.start = String(Number(params.start) + Number(params.rows));
  }
}

/** hdx-python-api's search_in_hdx: POSTed JSON, start += rows until a short page. */
async function hdxSearch(req: Req, rows: number): Promise<{ packages: any[]; counts: Set<number> }> {
  const packages: any[] = [];
  const counts = new Set<number>();
  for (let start = 0; ; start += rows) {
    const a = await call({ ...req, body: { ...req.body, start, rows } }, '/api/action/');
    expect(a.status).toBe(200);
    counts.add(a.body.result.count);
    packages.push(...a.body.result.results);
    if (a.body.result.results.length < rows) return { packages, counts };
  }
}

const ckanNames = () => [...catalog.values()].map((d) => d.name).sort();
const byName = (name: string) => [...catalog.values()].find((d) => d.name === name) as CatalogDataset;
/** Sample data, as the catalog marks it: on the dataset, or on a dataset it was made from. */
const isSample = (d: CatalogDataset) => d.sample || d.derivedFrom.some((iri) => [...catalog.values()].some((x) => x.iri === iri && x.sample));

const fill = (req: Req, values: Record<string, string>): Req => ({
  ...req,
  params: Object.fromEntries(Object.entries(req.params ?? {}).map(([k, v]) => [k, v.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`)])),
});
const run = (fixtureRuns: { name: string; requests: Req[] }[], name: string) => {
  const found = fixtureRuns.find((r) => r.name.startsWith(name));
  if (!found) throw new Error(`no run ${name} in the fixture`);
  return found.requests;
};

beforeAll(async () => {
  lb = await startLoopback();
  // What /catalog says, read as an aggregator reads it (Turtle over HTTP).
  const quads = parseTurtle(await (await lb.fetchOk(`${BASE}catalog.ttl`)).text());
  const objs = (s: string, p: string) => quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object);
  const one = (s: string, p: string) => objs(s, p)[0];
  catalog = new Map();
  for (const q of quads.filter((x) => x.predicate.value === 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type' && x.object.value === `${DCAT}Dataset`)) {
    const ds = q.subject.value;
    const id = one(ds, `${DCT}identifier`)?.value as string;
    const provenance = one(ds, `${DCT}provenance`);
    catalog.set(id, {
      iri: ds, id,
      // CKAN's names are lower case (the slices' ids carry unit codes: district-TJ-KT-06).
      name: id.toLowerCase(),
      keywords: objs(ds, `${DCAT}keyword`).map((o) => o.value),
      temporal: one(ds, `${DCT}temporal`) !== undefined,
      ...(provenance ? { provenance: objs(provenance.value, 'http://www.w3.org/2000/01/rdf-schema#label').find((o) => o.termType === 'Literal' && o.language === 'en')?.value as string } : {}),
      derivedFrom: objs(ds, 'http://www.w3.org/ns/prov#wasDerivedFrom').map((o) => o.value),
      title: objs(ds, `${DCT}title`).find((o) => o.termType === 'Literal' && o.language === 'en')?.value as string,
      modified: one(ds, `${DCT}modified`)?.value as string,
      sample: one(ds, `${BASE}def/lg#sampleData`)?.value === 'true',
      note: objs(ds, `${SKOS}editorialNote`).find((o) => o.termType === 'Literal' && o.language === 'en')?.value,
      distributions: objs(ds, `${DCAT}distribution`).map((d) => {
        const checksum = one(d.value, `${SPDX}checksum`);
        const bytes = one(d.value, `${DCAT}byteSize`)?.value;
        return {
          url: (one(d.value, `${DCAT}downloadURL`) ?? one(d.value, `${DCAT}accessURL`))?.value as string,
          ...(bytes ? { bytes: Number(bytes) } : {}),
          ...(checksum ? { sha256: one(checksum.value, `${SPDX}checksumValue`)?.value as string } : {}),
          format: (one(d.value, `${DCT}format`)?.value ?? '').split('/').pop() as string,
        };
      }),
    });
  }
  // And what SPARQL says: the datasets' identifiers.
  const r = await fetch(`${lb.origin}/sparql`, {
    method: 'POST',
    headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' },
    body: `PREFIX dcat: <${DCAT}> PREFIX dct: <${DCT}> SELECT ?id WHERE { ?d a dcat:Dataset ; dct:identifier ?id }`,
  });
  sparqlIds = ((await r.json()) as { results: { bindings: { id: { value: string } }[] } }).results.bindings.map((b) => b.id.value.toLowerCase()).sort();
});
afterAll(async () => lb.app.close());

describe("ckanext-harvest's gather stage (tests/fixtures/ckan/ckanext-harvest.json)", () => {
  it('pages through package_search by rows and start and collects exactly the datasets of /catalog and of SPARQL', async () => {
    const [req] = run(harvester.runs, 'first harvest');
    const all = await harvest(req as Req);
    expect(all.requests).toBe(Math.ceil(catalog.size / 100) + 1); // pages of 100, then the empty page that stops it
    // Smaller pages, the same algorithm: every dataset once, in id order.
    const small = await harvest({ ...(req as Req), params: { ...(req as Req).params, rows: '2' } });
    expect(small.requests).toBe(Math.ceil(catalog.size / 2) + 1);
    expect(small.packages.map((p) => p.id)).toEqual(all.packages.map((p) => p.id));
    expect(all.packages.map((p) => p.id)).toEqual(all.packages.map((p) => p.id).sort());

    const names = all.packages.map((p) => p.name).sort();
    expect(names).toEqual(ckanNames());
    expect(names).toEqual(sparqlIds);
    for (const p of all.packages) {
      const ds = byName(p.name);
      expect(p.title).toBe(ds.title);
      expect(p.metadata_modified).toBe(`${ds.modified}T00:00:00`);
      expect(p.license_id).toBe('cc-by');
      expect(p.groups.map((g: { name: string }) => g.name)).toEqual(['tjk']);
      // The resources are the catalog's distributions: same URLs, sizes and checksums.
      const resources = p.resources.map((r: any) => ({ url: r.url, ...(r.size !== null ? { bytes: r.size } : {}), ...(r.hash ? { sha256: r.hash } : {}) }));
      const expected = ds.distributions.map(({ format: _f, ...d }) => d);
      const byUrl = (a: { url: string }, b: { url: string }) => (a.url < b.url ? -1 : 1);
      expect(resources.sort(byUrl)).toEqual(expected.sort(byUrl));
      expect(p.num_resources).toBe(p.resources.length);
      expect(p.num_tags).toBe(p.tags.length);
      // package_show (HDX's read_from_hdx, by name and by id) says what the search said.
      expect((await call({ method: 'GET', action: 'package_show', params: { id: p.name } })).body.result).toEqual(p);
      expect((await call({ method: 'GET', action: 'package_show', params: { id: p.id } })).body.result).toEqual(p);
    }
  });

  it('asks only for what changed: fq=metadata_modified:[since TO *]', async () => {
    const [req] = run(harvester.runs, 'later harvest');
    const latest = [...catalog.values()].map((d) => d.modified).sort().at(-1) as string;
    // An hour before the latest change, naive UTC with microseconds, as the harvester writes it.
    const since = new Date(Date.parse(`${latest}T00:00:00Z`) - 3600_000).toISOString().replace(/\.(\d{3})Z$/, '.$1456');
    const changed = await harvest(fill(req as Req, { since }));
    expect(changed.packages.map((p) => p.name).sort()).toEqual([...catalog.values()].filter((d) => d.modified === latest).map((d) => d.name).sort());
    const after = new Date(Date.parse(`${latest}T00:00:00Z`) + 86_400_000).toISOString().replace('Z', '');
    const none = await harvest(fill(req as Req, { since: after }));
    expect(none.packages).toEqual([]);
    expect(none.requests).toBe(1);
  });

  it('filters by organization (include and exclude) and follows owner_org and groups to organization_show and group_show', async () => {
    const orgs = (await call({ method: 'GET', action: 'organization_list' })).body.result as string[];
    expect(orgs).toEqual(['local-development-committee']);
    const full = (await call({ method: 'GET', action: 'organization_list', params: { all_fields: 'true' } })).body.result;
    expect(full).toMatchObject([{ name: 'local-development-committee', package_count: catalog.size, is_organization: true }]);
    // tag_list: every keyword of the catalog, in each of its languages.
    const tags = (await call({ method: 'GET', action: 'tag_list' })).body.result as string[];
    expect(tags).toEqual([...new Set([...catalog.values()].flatMap((d) => d.keywords))].sort());
    expect(tags).toContain('ҷамоатҳо');
    const include = await harvest(fill(run(harvester.runs, 'organizations_filter_include')[0] as Req, { org: orgs[0] as string, other_org: 'no-such-org' }));
    expect(include.packages.map((p) => p.name).sort()).toEqual(ckanNames());
    const exclude = await harvest(fill(run(harvester.runs, 'organizations_filter_exclude')[0] as Req, { org: orgs[0] as string }));
    expect(exclude.packages).toEqual([]);
    const other = await harvest(fill(run(harvester.runs, 'organizations_filter_include')[0] as Req, { org: 'no-such-org', other_org: 'nor-this' }));
    expect(other.packages).toEqual([]);

    const pkg = (await call({ method: 'GET', action: 'package_show', params: { id: 'units' } })).body.result;
    const org = await call({ method: 'GET', action: run(harvester.runs, 'remote_orgs')[0]?.action as string, params: { id: pkg.owner_org } });
    expect(org.body.result).toMatchObject({ id: pkg.owner_org, name: 'local-development-committee', title: 'Local Development Committee', package_count: catalog.size });
    const group = await call({ method: 'GET', action: run(harvester.runs, 'remote_groups')[0]?.action as string, params: { id: pkg.groups[0].id } });
    expect(group.body.result).toMatchObject({ name: 'tjk', title: 'Tajikistan', package_count: catalog.size });
  });
});

describe("hdx-python-api's calls (tests/fixtures/ckan/hdx-python-api.json), POSTed JSON as ckanapi sends it", () => {
  it('get_all_datasets, then read_from_hdx, resource_show and organization_show of each, agree with one another and the catalog', async () => {
    const [req] = run(hdx.runs, 'Dataset.get_all_datasets');
    // A page smaller than the catalog, so that the client pages; the counts of every page agree.
    const { packages, counts } = await hdxSearch(req as Req, 4);
    expect([...counts]).toEqual([catalog.size]);
    expect(packages.map((p) => p.name).sort()).toEqual(ckanNames());
    for (const p of packages) {
      const ds = byName(p.name);
      const shown = await call({ method: 'POST', action: 'package_show', body: { id: ds.id } }, '/api/action/');
      expect(shown.body.result).toEqual(p);
      // HDX's fields, from the catalog and only from it.
      if (ds.temporal) expect(p.dataset_date).toMatch(/^\[\d{4}-01-01T00:00:00 TO \d{4}-12-31T23:59:59\]$/);
      else expect(p.dataset_date).toBeUndefined();
      expect(p.data_update_frequency).toBeUndefined(); // no dataset publishes dct:accrualPeriodicity
      expect(p.methodology_other).toBe(ds.provenance);
      expect(p.methodology).toBe(ds.provenance ? 'Other' : undefined);
      for (const r of p.resources) {
        const res = await call({ method: 'POST', action: 'resource_show', body: { id: r.id } }, '/api/action/');
        expect(res.body.result).toEqual(r);
        expect(r.package_id).toBe(p.id);
      }
      const org = await call({ method: 'POST', action: 'organization_show', body: { id: p.owner_org } }, '/api/action/');
      expect(org.body.result.id).toBe(p.owner_org);
    }
    const names = await call({ method: 'POST', action: 'package_list', body: {} }, '/api/action/');
    expect(names.body.result).toEqual(ckanNames());
  });

  it('searches with q and sorts by name asc, metadata_modified desc and score desc', async () => {
    const sorted = await call({ method: 'POST', action: 'package_search', body: { q: '*:*', sort: 'name asc', rows: 100 } });
    expect(sorted.body.result.results.map((p: any) => p.name)).toEqual(ckanNames().slice(0, 100));
    const byModified = await call({ method: 'GET', action: 'package_search', params: { sort: 'metadata_modified desc, name desc' } });
    const modified = byModified.body.result.results.map((p: any) => p.metadata_modified);
    expect(modified).toEqual([...modified].sort().reverse());
    const scored = await call({ method: 'GET', action: 'package_search', params: { q: 'population', sort: 'score desc' } });
    expect(scored.body.result.results[0].name).toBe('population');
    expect(scored.body.result.results.map((p: any) => p.name)).not.toContain('budget');
    // Tajik and Russian words find their datasets too.
    const tajik = await call({ method: 'GET', action: 'package_search', params: { q: 'аҳолӣ' } });
    expect(tajik.body.result.results[0].name).toBe('population');
    expect(tajik.body.result.results.map((p: any) => p.name)).not.toContain('budget');
  });
});

describe('filters and fields a harvester relies on', () => {
  it('fq=res_format:CSV gives the datasets with a CSV distribution in the catalog; an absent format gives none', async () => {
    const csv = await call({ method: 'GET', action: 'package_search', params: { fq: 'res_format:CSV', rows: '100' } });
    expect(csv.body.result.results.map((p: any) => p.name).sort()).toEqual([...catalog.values()].filter((d) => d.distributions.some((x) => x.format === 'CSV')).map((d) => d.name).sort());
    const pdf = await call({ method: 'GET', action: 'package_search', params: { fq: 'res_format:PDF' } });
    expect(pdf.body.result.count).toBe(0);
    const both = await call({ method: 'GET', action: 'package_search', params: { fq: 'res_format:CSV +tags:"sample data" organization:local-development-committee', rows: '100' } });
    expect(both.body.result.results.map((p: any) => p.name).sort()).toEqual([...catalog.values()].filter((d) => d.keywords.includes('sample data') && d.distributions.some((x) => x.format === 'CSV')).map((d) => d.name).sort());
    expect(both.body.result.count).toBeGreaterThan(0);
    const facets = await call({ method: 'GET', action: 'package_search', params: { 'facet.field': '["organization","groups"]', rows: '0' } });
    expect(facets.body.result.facets).toEqual({ organization: { 'local-development-committee': catalog.size }, groups: { tjk: catalog.size } });
    expect(facets.body.result.results).toEqual([]);
  });

  it('says where the catalog marks sample data (on the dataset or on those it was made from), and only there', async () => {
    let marked = 0;
    for (const ds of catalog.values()) {
      const p = (await call({ method: 'GET', action: 'package_show', params: { id: ds.id } })).body.result;
      if (isSample(ds)) {
        marked++;
        expect(p.caveats).toMatch(/^SAMPLE DATA/);
        if (ds.sample) expect(p.caveats).toBe(ds.note);
        expect(p.extras).toContainEqual({ key: 'sample_data', value: 'true' });
      } else {
        expect(p.caveats, ds.id).toBeUndefined();
        expect(p.extras).toContainEqual({ key: 'sample_data', value: 'false' });
      }
    }
    expect(marked).toBeGreaterThanOrEqual(4);
  });
});

describe("CKAN's error answers", () => {
  it('package_show of an unknown id: 404 Not Found Error', async () => {
    const a = await call({ method: 'GET', action: 'package_show', params: { id: 'no-such-dataset' } });
    expect(a.status).toBe(404);
    expect(a.body).toEqual({ help: `${BASE}api/3/action/help_show?name=package_show`, success: false, error: { __type: 'Not Found Error', message: 'Not found' } });
  });

  it('an unknown action: 400 and the bare string CKAN sends', async () => {
    const a = await call({ method: 'GET', action: 'package_frobnicate' });
    expect(a.status).toBe(400);
    expect(a.body).toBe('Bad request - Action name not known: package_frobnicate');
  });

  it('bad parameters: 409 Validation Error naming the field; a missing id; a bad sort 400', async () => {
    const rows = await call({ method: 'GET', action: 'package_search', params: { rows: '-1', start: 'x' } });
    expect([rows.status, rows.body.error]).toEqual([409, { __type: 'Validation Error', rows: ['Must be a natural number'], start: ['Invalid integer'] }]);
    const missing = await call({ method: 'POST', action: 'resource_show', body: {} });
    expect([missing.status, missing.body.error]).toEqual([409, { __type: 'Validation Error', id: ['Missing value'] }]);
    const sort = await call({ method: 'GET', action: 'package_search', params: { sort: 'name upwards' } });
    expect([sort.status, sort.body.error]).toEqual([400, { __type: 'Search Query Error', message: 'Search Query is invalid: (\'Invalid "sort" parameter\',)' }]);
  });

  it('a filter Solr could not parse: 409 Search Error; one it can, combined as the harvester combines them', async () => {
    const bad = await call({ method: 'GET', action: 'package_search', params: { fq: 'tags:"unclosed' } });
    expect([bad.status, bad.body.error.__type]).toEqual([409, 'Search Error']);
    const deep = await call({ method: 'POST', action: 'package_search', body: { fq: `${'('.repeat(5000)}tags:x${')'.repeat(5000)}` } });
    expect([deep.status, deep.body.error.__type]).toEqual([409, 'Search Error']);
    const combined = await call({ method: 'GET', action: 'package_search', params: { fq: 'organization:nobody OR organization:local-development-committee metadata_modified:[2000-01-01T00:00:00.000000Z TO NOW] -groups:(afg OR irn)', rows: '100' } });
    expect(combined.body.result.count).toBe(catalog.size);
  });

  it('write actions are refused as CKAN refuses an anonymous caller: 403', async () => {
    const a = await call({ method: 'POST', action: 'package_create', body: { name: 'x' } });
    expect(a.status).toBe(403);
    expect(a.body.error.__type).toBe('Authorization Error');
  });

  it('answers any origin (CORS), as our other data', async () => {
    const r = await fetch(`${lb.origin}/api/3/action/status_show`, { headers: { origin: 'https://data.humdata.org' } });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const body = await r.json();
    checkSchema('status_show', body);
    expect(body.result.site_url).toBe(BASE.replace(/\/$/, ''));
  });
});
