/**
 * SHACL validation alone, at --factor times the synthetic country (default 10):
 *   npx tsx bench/shacl.ts [--factor N] [--engines old,new]
 *
 * 1. Once per factor, generates the synthetic set (bench/synthetic-data.ts), converts it, and keeps
 *    in $TMPDIR/lg-shacl-bench/{factor}x.nq the graphs the converter validates (the datasets', the
 *    vocabulary and the catalog): the input of validateShaclPerGraph. (The catalog graph of the
 *    output also holds what is added after validation, quality figures and distributions: a few
 *    hundred quads more beside each dataset, the same for both engines.)
 * 2. Validates those quads in one child process per engine, each printing CPU seconds, wall seconds,
 *    RSS before and the process's high-water mark after, and the number of problems found. The old
 *    engine is rdf-validate-shacl (tests/shacl-reference.ts, the converter's engine before
 *    shacl-engine); both split the data graph by graph the same way (src/convert/shacl-parts.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';
import { convert } from '../src/convert/convert.js';
import { indicatorShapes } from '../src/convert/indicator-shapes.js';
import { indicatorsFromVocab } from '../src/convert/indicators.js';
import { loadShapes } from '../src/convert/validate-shacl.js';
import { minted } from '../src/rdf/namespaces.js';
import { PROJECT_ROOT } from '../src/project.js';
import { makeSyntheticData } from './synthetic-data.js';

const MB = 1024 * 1024;
const DATASETS = /\/graph\/(units|population|education|health|infrastructure|budget)(-\d+)?$/;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function prepare(factor: number, base: string): Promise<string> {
  const dir = join(tmpdir(), 'lg-shacl-bench');
  const file = join(dir, `${factor}x.nq`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const data = await mkdtemp(join(tmpdir(), 'lg-shacl-data-'));
  try {
    const t0 = performance.now();
    await makeSyntheticData(join(PROJECT_ROOT, 'data'), data, { factor, split: 1 });
    const out = await convert({ dataDir: data, base, limits: fileLimits(loadConfig(process.env)) });
    const keep = (g: string) => DATASETS.test(g) || g.endsWith('/graph/vocabulary') || g.endsWith('/graph/catalog');
    const lines = out.nquads.split('\n').filter((l) => {
      const m = /<([^>]*)> \.$/.exec(l);
      return m?.[1] !== undefined && keep(m[1]);
    });
    await writeFile(file, `${lines.join('\n')}\n`);
    console.log(`prepared ${file}: ${lines.length} quads in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
  return file;
}

const VOCAB = (base: string) => `${base}graph/vocabulary`;
const CATALOG = (base: string) => `${base}graph/catalog`;

/** In the child: validates the file's quads with one engine and prints one JSON line. */
async function child(engine: string, file: string, base: string): Promise<void> {
  const quads: Quad[] = new N3.Parser({ format: 'N-Quads' }).parse(await readFile(file, 'utf8'));
  const vocab = quads.filter((q) => q.graph.value === VOCAB(base));
  const shapes = [...(await loadShapes(join(PROJECT_ROOT, 'shapes'), base)), ...indicatorShapes(indicatorsFromVocab(vocab, minted(base)), base)];
  const isShared = (g: string) => g === VOCAB(base) || g === CATALOG(base);
  const validate = engine === 'old'
    ? (await import('../tests/shacl-reference.js')).validateShaclPerGraphReference
    : (await import('../src/convert/validate-shacl.js')).validateShaclPerGraph;
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const problems = await validate(quads, shapes, isShared);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({
    engine, quads: quads.length, problems: problems.length, seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMb: rssBefore / MB, maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
}

async function main(): Promise<void> {
  const base = loadConfig(process.env).BASE_URI;
  if (process.argv.includes('--child')) {
    await child(arg('child', 'new'), arg('file', ''), base);
    return;
  }
  const factor = Number(arg('factor', '10'));
  const file = await prepare(factor, base);
  for (const engine of arg('engines', 'old,new').split(',').filter((e) => e !== 'none')) {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--expose-gc', '--max-old-space-size=16000', '--import', 'tsx', join(PROJECT_ROOT, 'bench', 'shacl.ts'), '--child', engine, '--file', file], { cwd: PROJECT_ROOT, maxBuffer: 64 * MB });
    if (stderr.trim()) console.error(stderr.trim());
    const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | string>;
    const f = (x: unknown) => Number(x).toFixed(1);
    console.log(`${factor}x ${engine}: ${r.quads} quads, ${r.problems} problems, CPU ${f(r.cpuSeconds)} s, wall ${f(r.seconds)} s, RSS before ${f(r.rssBeforeMb)} MB, max RSS ${f(r.maxRssMb)} MB`);
  }
}

await main();
