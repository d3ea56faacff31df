/**
 * Page weight of the district profiles (part of `npm run bench`, `--part page-weight`; issue #10:
 * "page weight of a district profile with its map and charts, target under 30 KB compressed, one
 * request"). For each pilot district in tg, ru and en: the bytes on the wire of the HTML as sent
 * uncompressed, with gzip and with brotli, and the requests a browser needs to show the page: the
 * page itself plus every stylesheet, script, image, frame, font or other resource it names. The
 * site icon (`<link rel="icon">`) is counted apart: browsers fetch it once per site, not per page.
 *
 * The shipped data is converted into a temp directory and served by the real app (worker store)
 * on loopback; sizes do not depend on the machine, so one run is enough.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { fileLimits } from '../src/convert/check-file.js';
import { convert } from '../src/convert/convert.js';
import { writeBuild } from '../src/convert/write-build.js';
import { PROJECT_ROOT } from '../src/project.js';
import { buildApp } from '../src/server/app.js';
import { createWorkerStore } from '../src/store/worker-pool.js';

/** The pilot districts: Bobojon Gafurov, Yovon, Tojikobod. */
const PILOTS: [string, string][] = [['Bobojon Gafurov', 'TJ-SU-02'], ['Yovon', 'TJ-KT-06'], ['Tojikobod', 'TJ-RA-06']];
const LANGS = ['tg', 'ru', 'en'] as const;
const TARGET_KB = 30;

/** The body as sent (fetch would decompress it), and the response's headers. */
function onTheWire(url: string, encoding: string): Promise<{ bytes: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { accept: 'text/html', 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ bytes: Buffer.concat(chunks), headers: res.headers }));
    }).on('error', reject);
  });
}

/**
 * What a browser fetches to show the page, besides the page: every external resource named in
 * the markup (no CSS file exists to name more: the stylesheets are inline). The site icon apart.
 */
export function subresources(page: string): { needed: string[]; icon: number } {
  const needed: string[] = [];
  let icon = 0;
  for (const m of page.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    const rel = /\brel="([^"]*)"/i.exec(tag)?.[1]?.toLowerCase() ?? '';
    if (/\bicon\b/.test(rel)) icon++;
    else if (/\b(stylesheet|preload|modulepreload|prefetch|manifest)\b/.test(rel)) needed.push(tag);
  }
  for (const m of page.matchAll(/<(script|img|iframe|frame|embed|object|video|audio|source|track|input)\b[^>]*\b(src|data|poster|srcset)="[^"]*"[^>]*>/gi)) needed.push(m[0]);
  for (const m of page.matchAll(/url\(\s*['"]?(?!data:)[^)'"]+/gi)) needed.push(m[0]);
  for (const m of page.matchAll(/<(?:image|use)\b[^>]*\bhref="(?!#|data:)[^"]*"/gi)) needed.push(m[0]);
  return { needed, icon };
}

export async function pageWeightBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-bench-weight-'));
  const base = 'http://localhost:3000/';
  try {
    const out = await convert({ dataDir: join(PROJECT_ROOT, 'data'), base, limits: fileLimits(loadConfig({})) });
    await writeBuild(dir, out);
    const config = loadConfig({ BASE_URI: base, LOG_LEVEL: 'silent', BUILD_DIR: dir });
    const store = await createWorkerStore({ nquadsPath: join(dir, 'data.nq'), dataVersion: out.info.dataVersion, timeoutMs: config.QUERY_TIMEOUT_MS, built: { quads: out.info.quads, graphs: out.info.graphs } });
    const app = await buildApp({ config, store, logger: false });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      const rows: Record<string, string | number>[] = [];
      let worst = 0;
      let extra = 0;
      for (const [name, code] of PILOTS) {
        for (const lang of LANGS) {
          const url = `http://127.0.0.1:${port}/doc/district/${code}?lang=${lang}`;
          const raw = await onTheWire(url, 'identity');
          const gzip = await onTheWire(url, 'gzip');
          const br = await onTheWire(url, 'br');
          if (gzip.headers['content-encoding'] !== 'gzip' || br.headers['content-encoding'] !== 'br') throw new Error(`${url}: not compressed as asked (${String(gzip.headers['content-encoding'])}, ${String(br.headers['content-encoding'])})`);
          const { needed, icon } = subresources(raw.bytes.toString('utf8'));
          worst = Math.max(worst, gzip.bytes.length, br.bytes.length);
          extra += needed.length;
          rows.push({
            district: `${name} (${code})`, lang,
            'raw KB': +(raw.bytes.length / 1024).toFixed(1), 'gzip KB': +(gzip.bytes.length / 1024).toFixed(1), 'br KB': +(br.bytes.length / 1024).toFixed(1),
            requests: 1 + needed.length, 'site icon': icon,
            charts: (raw.bytes.toString('utf8').match(/<svg class="bars"/g) ?? []).length,
          });
          for (const n of needed) console.log(`  ${code} ${lang}: needs ${n.slice(0, 120)}`);
        }
      }
      console.log('\nDistrict profiles (HTML, bytes on the wire; requests = the page + what it names; the site icon apart, fetched once per site):');
      console.table(rows);
      console.log(`largest compressed: ${(worst / 1024).toFixed(1)} KB (target: under ${TARGET_KB} KB) ${worst < TARGET_KB * 1024 ? 'OK' : 'OVER'}; ${extra === 0 ? 'every page is one request' : `${extra} extra requests: OVER`}`);
      if (worst >= TARGET_KB * 1024 || extra > 0) process.exitCode = 1;
    } finally {
      await app.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
