import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/cli/build-server.js';
import { PROJECT_ROOT } from '../src/project.js';

/**
 * What `npm start` reads and compiles before it listens, from the bundle itself (esbuild's
 * metafile): main.js, everything it imports, the start-up code it awaits (start.ts, then app.ts)
 * and everything those import, but not what they load with import() on first use. README's
 * "Start-up" measured the cost of getting this wrong: one page importing a name from a module that
 * imported exceljs put exceljs's unbundled modules into every start (start-up 1.99x Oxigraph's load
 * instead of 1.47x). A module added to the list below is one that must load on demand.
 */
const BUNDLE = join(PROJECT_ROOT, 'dist', 'test-startup-modules');

let meta: Metafile;
let loaded: { sources: Set<string>; packages: Set<string> };

/** The outputs a start evaluates: static imports from main.js, and the two start-up modules it awaits. */
function startUpClosure(m: Metafile): { sources: Set<string>; packages: Set<string> } {
  const outputs = m.outputs;
  const awaited = new Set(['src/server/start.ts', 'src/server/app.ts']);
  const main = Object.keys(outputs).find((k) => outputs[k]?.entryPoint === 'src/server/main.ts');
  if (!main) throw new Error('no output for src/server/main.ts');
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of outputs[file]?.imports ?? []) {
      if (i.external) {
        if (i.kind === 'import-statement' && !i.path.startsWith('node:')) packages.add(i.path);
      } else if (i.kind === 'import-statement' || (i.kind === 'dynamic-import' && awaited.has(outputs[i.path]?.entryPoint ?? ''))) {
        visit(i.path);
      }
    }
  };
  visit(main);
  const sources = new Set([...seen].flatMap((f) => Object.keys(outputs[f]?.inputs ?? {})));
  return { sources, packages };
}

beforeAll(async () => {
  meta = await buildServer(BUNDLE);
  loaded = startUpClosure(meta);
}, 120_000);

afterAll(async () => {
  await rm(BUNDLE, { recursive: true, force: true });
});

describe('what npm start loads before it listens', () => {
  it('includes the app, its pages for a first request and every route family\'s registration', () => {
    for (const source of ['src/server/start.ts', 'src/server/app.ts', 'src/routes/health.ts', 'src/routes/doc.ts', 'src/html/home-page.ts', 'src/ckan/routes.ts', 'src/fragments/route.ts', 'src/recipes/route.ts', 'src/routes/releases.ts', 'src/routes/def.ts']) {
      expect(loaded.sources, source).toContain(source);
    }
    // The state database's driver (unbundled, a native addon); Oxigraph loads in the store's threads only.
    expect(loaded.packages).toContain('better-sqlite3');
    expect(loaded.packages).not.toContain('oxigraph');
  });

  it('leaves out the packages that load on demand: exceljs, jsonld, rdflib (unbundled), sparqljs, prom-client, the SHACL engine (bundled)', () => {
    for (const name of ['exceljs', 'jsonld', 'rdflib']) expect(loaded.packages, name).not.toContain(name);
    const bundled = [...loaded.sources].filter((s) => /^node_modules\/(sparqljs|prom-client|shacl-engine|grapoi)\//.test(s));
    expect(bundled).toEqual([]);
  });

  it('leaves out the handlers and pages that load with their first request', () => {
    const onDemand = [
      'src/ckan/handler.ts', 'src/ckan/package-mapping.ts', 'src/ckan/package-search.ts',
      'src/fragments/handler.ts', 'src/fragments/page.ts', 'src/fragments/strings.ts',
      'src/recipes/page.ts', 'src/recipes/recipes.ts',
      'src/releases/atom.ts', 'src/html/release-page.ts', 'src/html/releases-page.ts',
      'src/indicators/indicator-page.ts', 'src/indicators/strings.ts', 'src/indicators/indicator-download.ts',
      'src/metrics/plugin.ts', 'src/metrics/service-metrics.ts',
      'src/slices/slice-files.ts', 'src/convert/convert.ts', 'src/publish/publish-tools.ts', 'src/sparql/prepare-query.ts',
    ];
    expect(onDemand.filter((s) => loaded.sources.has(s))).toEqual([]);
    // Each is in the bundle, so the list names real modules rather than passing on a typo.
    const bundled = new Set(Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs)));
    expect(onDemand.filter((s) => !bundled.has(s))).toEqual([]);
  });
});

describe('what the image needs in node_modules', () => {
  it('has the SHACL engine in the bundle (a devDependency, gone after npm prune --omit=dev) without Comunica, which it names only for sh:sparql', async () => {
    const inputs = new Set(Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs)));
    expect([...inputs].some((s) => s.startsWith('node_modules/shacl-engine/'))).toBe(true);
    expect([...inputs].filter((s) => s.includes('node_modules/@comunica/'))).toEqual([]);
    const externals = new Set(Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    expect([...externals].filter((p) => p.startsWith('shacl-engine') || p.startsWith('@comunica/'))).toEqual([]);
    const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('shacl-engine');
    expect(Object.keys(pkg.devDependencies)).toContain('shacl-engine');
  });
});
