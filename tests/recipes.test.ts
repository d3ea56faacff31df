import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../src/html/i18n.js';
import { LANGS } from '../src/html/models.js';
import { RECIPES, type Recipe, khatlonQuery, recipeCode } from '../src/recipes/recipes.js';
import { RECIPE_STRINGS } from '../src/recipes/strings.js';
import { BASE, listenLoopback, startApp } from './server-helpers.js';

/**
 * Issue #10, data literacy: the "Use this data" page (/use-data) gives recipes, and every one is
 * run here as the page shows it, with the real tool (curl and bash, Rscript with Debian's
 * r-cran-sparql, Debian's python3 with python3-sparqlwrapper, node), against the real server on
 * a loopback port. The page must show exactly the module's code; the only change for the run is
 * the address the requests go to (the page has BASE_URI, the test its own port), not the IRIs in
 * the queries. A missing tool fails its test (.ci/install-test-deps installs them), it is not
 * skipped. What each program prints is checked against the published CSV, fetched separately.
 */

const run = promisify(execFile);
let app: FastifyInstance;
let site: string;
let work: string;
/** Put first on PATH: `python3` is Debian's, where Debian's SPARQLWrapper is (a pyenv python3 does not see it). */
let bin: string;
/** units.csv as the server publishes it, read by csv-parse: the expectations come from here. */
let units: Record<string, string>[];
const pages = new Map<string, string>();

beforeAll(async () => {
  app = await startApp();
  site = `http://127.0.0.1:${await listenLoopback(app)}/`;
  work = await mkdtemp(join(tmpdir(), 'lg-recipes-'));
  bin = join(work, 'bin');
  await mkdir(bin);
  await symlink('/usr/bin/python3', join(bin, 'python3'));
  units = parse(await (await fetch(`${site}download/units.csv`)).text(), { columns: true }) as Record<string, string>[];
  for (const lang of LANGS) {
    const r = await fetch(`${site}use-data?lang=${lang}`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    pages.set(lang, await r.text());
  }
});
afterAll(async () => {
  await app?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Text of an element as a browser reads it (the references our escaping writes). */
function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
}

/** The code block `id` of a page, as the reader copies it. */
function block(page: string, id: string): string | undefined {
  const m = page.match(new RegExp(`<pre id="${id}"><code class="language-[a-z]+">([\\s\\S]*?)</code></pre>`));
  return m ? unescape(m[1] as string) : undefined;
}

/**
 * Runs a recipe as a reader would: a shell recipe typed into bash (stopping at the first failing
 * command), a program saved under its file name and started with its command. Each in a directory
 * of its own; UTF-8 locale, as a terminal has.
 */
async function runRecipe(recipe: Recipe): Promise<{ stdout: string; dir: string }> {
  const dir = join(work, recipe.id);
  await mkdir(dir);
  const code = recipeCode(recipe.template, { site, base: BASE });
  if (recipe.file) await writeFile(join(dir, recipe.file), `${code}\n`);
  const script = recipe.file ? (recipe.command ?? '') : code;
  const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd: dir,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
    timeout: 60_000,
  });
  return { stdout, dir };
}

const recipe = (id: Recipe['id']) => RECIPES.find((r) => r.id === id) as Recipe;

describe.each(LANGS)('the page in %s', (lang) => {
  it.each(RECIPES.map((r) => [r.id, r] as const))('shows %s exactly as the module has it, with BASE_URI, in the language', (id, r) => {
    const page = pages.get(lang) ?? '';
    expect(block(page, `code-${id}`)).toBe(recipeCode(r.template, { site: BASE, base: BASE }));
    if (r.command) expect(block(page, `run-${id}`)).toBe(r.command);
    expect(page).toContain(`<h2 id="h-${id}">${RECIPE_STRINGS[lang].recipes[id].title}</h2>`);
    expect(page).toContain(`<html lang="${lang}"`);
  });

  it('is HTML only: another type is 406', async () => {
    const r = await fetch(`${site}use-data?lang=${lang}`, { headers: { accept: 'application/json' } });
    expect(r.status).toBe(406);
  });

  it('has no other code blocks than those the tests run', () => {
    const ids = [...(pages.get(lang) ?? '').matchAll(/<pre id="([^"]+)">/g)].map((m) => m[1]);
    expect(ids.sort()).toEqual(RECIPES.flatMap((r) => [`code-${r.id}`, ...(r.command ? [`run-${r.id}`] : [])]).sort());
  });

  it('is in the menu of every page, in the language', async () => {
    const home = await (await fetch(`${site}?lang=${lang}`)).text();
    expect(home).toContain(`<li><a href="/use-data?lang=${lang}">${t(lang).useData}</a></li>`);
    expect(pages.get(lang)).toContain(`<li><a href="/use-data?lang=${lang}" aria-current="page">${t(lang).useData}</a></li>`);
  });

  it('links, as the home page does, to the Triple Pattern Fragments interface, which answers in the language', async () => {
    const home = await (await fetch(`${site}?lang=${lang}`)).text();
    expect(home).toContain(`<li><a href="/fragments?lang=${lang}">${t(lang).fragments}</a>: ${t(lang).fragmentsText}</li>`);
    expect(pages.get(lang)).toContain(`<li><a href="/fragments?lang=${lang}">${RECIPE_STRINGS[lang].fragmentsLink}</a></li>`);
    const fragments = await fetch(`${site}fragments?lang=${lang}`, { headers: { accept: 'text/html' } });
    expect(fragments.status).toBe(200);
    expect(await fragments.text()).toContain(`<html lang="${lang}"`);
  });
});

describe('each recipe, run as shown with the real tool', () => {
  it('spreadsheet (curl): the CSV has its header and the row of Yovon district; the XLSX opens, with its sample-data mark', async () => {
    const { stdout, dir } = await runRecipe(recipe('spreadsheet'));
    // The CSV's lines end in CRLF (RFC 4180); head and grep pass them on.
    const [header, row, ...rest] = stdout.trimEnd().split(/\r?\n/);
    expect(header).toBe('code,uri,level,type,name_tg,name_ru,name_en,parent_code,parent_uri,population,population_year,wikidata,wikidata_settlement,geonames,geonames_relation,hasc,iso3166_2');
    expect(row).toMatch(/^TJ-KT-06,http:\/\/localhost:3000\/id\/district\/TJ-KT-06,district,District,Ноҳияи Ёвон,Яванский район,Yovon,TJ-KT,/);
    expect(rest).toEqual([]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(dir, 'education.xlsx'));
    const yovon = workbook.getWorksheet('Yovon');
    expect(yovon).toBeDefined();
    expect(String(yovon?.getCell('A1').value)).toMatch(/^SAMPLE DATA/);
  }, 60_000);

  it('R (SPARQL package): a data frame of the Khatlon districts with their Tajik names, in UTF-8', async () => {
    const { stdout, dir } = await runRecipe(recipe('r-sparql'));
    expect(stdout).toMatch(/TJ-KT-06 +Ноҳияи Ёвон +234600 +2020\n/);
    // The file the program writes: every district of Khatlon with a Tajik name, the bytes UTF-8.
    const written = parse(await readFile(join(dir, 'khatlon.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const expected = units.filter((u) => u.level === 'district' && u.parent_code === 'TJ-KT' && u.name_tg);
    expect(written.map((r) => [r.code, r.name_tg])).toEqual(expected.map((u) => [u.code, u.name_tg]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(written.find((r) => r.code === 'TJ-KT-06')).toEqual({ code: 'TJ-KT-06', name_tg: 'Ноҳияи Ёвон', population: '234600', year: '2020' });
  }, 60_000);

  it('Python (SPARQLWrapper): one row per jamoat of Yovon, as many as the CSV lists, Tajik names where given', async () => {
    const { stdout } = await runRecipe(recipe('python-sparqlwrapper'));
    const lines = stdout.trimEnd().split('\n');
    const jamoats = units.filter((u) => u.level === 'jamoat' && u.parent_code === 'TJ-KT-06');
    expect(jamoats.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe(`${jamoats.length} rows`);
    expect(lines.slice(0, -1)).toEqual(jamoats.map((u) => [u.code, u.name_en, u.name_tg || '-', u.population || '-'].join(' | ')));
    expect(lines).toContain('TJ-KT-06-02 | Yovon | Ёвон | 33200');
  }, 60_000);

  it('JSON-LD (node): the district\'s names and population read from its JSON-LD', async () => {
    const { stdout } = await runRecipe(recipe('jsonld-node'));
    const yovon = units.find((u) => u.code === 'TJ-KT-06');
    expect(stdout).toBe(`${yovon?.name_tg}\n${yovon?.name_ru}\n${yovon?.name_en}\n${yovon?.population} ${yovon?.population_year}\n`);
    expect(stdout.split('\n')[0]).toBe('Ноҳияи Ёвон');
  }, 60_000);

  it('the editor link runs the R recipe\'s query on the SPARQL page, in the page\'s language', async () => {
    const href = unescape((pages.get('ru') ?? '').match(/<a id="editor-link" href="([^"]+)">/)?.[1] ?? '/missing');
    const url = new URL(href, site);
    expect(url.searchParams.get('query')).toBe(khatlonQuery(BASE));
    expect(url.searchParams.get('lang')).toBe('ru');
    const r = await fetch(url, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    const results = await r.text();
    expect(results).toContain('<html lang="ru"');
    expect(results).toMatch(/<tbody><tr>[\s\S]*Ноҳияи Ёвон/);
  });
});
