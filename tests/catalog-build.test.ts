import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedFileNames } from '../src/catalog/download-formats.js';
import { deterministicGzip } from '../src/catalog/dumps.js';
import type { ConvertOutput } from '../src/convert/convert.js';
import { manifestSchema } from '../src/convert/layout.js';
import { writeBuild } from '../src/convert/write-build.js';
import { PROJECT_ROOT } from '../src/project.js';
import { BASE, convertDir, makeDataDir, storeOf } from './helpers.js';

/** The downloads are made at conversion time, once per data version, into the build directory. */
let first: ConvertOutput;
let second: ConvertOutput;
beforeAll(async () => {
  const dir = await makeDataDir();
  first = await convertDir(dir);
  second = await convertDir(dir);
});

describe('downloads made at conversion time', () => {
  it('are the same bytes for the same data (sorted, gzip without time or platform)', () => {
    expect(second.files.map((f) => f.name)).toEqual(first.files.map((f) => f.name));
    for (const [i, f] of first.files.entries()) expect(second.files[i]?.bytes.equals(f.bytes), f.name).toBe(true);
    expect(second.nquads).toBe(first.nquads);
    const gz = first.files.find((f) => f.name === 'all.nq.gz')?.bytes ?? Buffer.alloc(0);
    // RFC 1952 header: magic, deflate, no flags (no file name), mtime 0, OS 255 (unknown)
    expect([...gz.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]);
    expect(gz.readUInt32LE(4)).toBe(0);
    expect(gz[9]).toBe(0xff);
    expect(gunzipSync(deterministicGzip('x')).toString()).toBe('x');
  });

  it('are listed in build-info.json with size and SHA-256, and the catalog gives the same figures', () => {
    const store = storeOf(first.nquads);
    for (const d of first.info.downloads) {
      const url = `${BASE}download/${d.name}`;
      const dist = store.getSubjects('http://www.w3.org/ns/dcat#downloadURL', url, null)[0];
      if (d.role === 'csvw') continue;
      expect(dist, d.name).toBeDefined();
      expect(store.getObjects(dist ?? null, 'http://www.w3.org/ns/dcat#byteSize', null)[0]?.value).toBe(String(d.bytes));
      const checksum = store.getObjects(dist ?? null, 'http://spdx.org/rdf/terms#checksum', null)[0];
      expect(store.getObjects(checksum ?? null, 'http://spdx.org/rdf/terms#checksumValue', null)[0]?.value).toBe(d.sha256);
    }
  });

  it('keep the graph that describes them out of every dump (a file cannot hold its own checksum)', () => {
    const distributions = `<${BASE}graph/distributions>`;
    expect(first.nquads).toContain(distributions);
    const all = gunzipSync(first.files.find((f) => f.name === 'all.nq.gz')?.bytes ?? Buffer.alloc(0)).toString('utf8');
    expect(all).not.toContain(distributions);
    expect(all.split('\n').length).toBe(first.nquads.split('\n').length - first.nquads.split('\n').filter((l) => l.endsWith(`${distributions} .`)).length);
    // No dump names a distribution, let alone a checksum of a dump.
    for (const f of first.files.filter((x) => x.role === 'dump' && !x.name.endsWith('.gz'))) expect(f.bytes.toString('utf8'), f.name).not.toContain('#distribution-');
    const sums = first.info.downloads.filter((d) => d.role !== 'original').map((d) => d.sha256);
    for (const f of first.files) for (const sum of sums) expect(f.bytes.includes(sum), f.name).toBe(false);
  });

  it('are written into download/ of a directory of its own: no file of another build can be left beside them', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lg-build-'));
    await writeBuild(out, first);
    expect((await readdir(join(out, 'download'))).sort()).toEqual(first.files.map((f) => f.name).sort());
    const info = JSON.parse(await readFile(join(out, 'build-info.json'), 'utf8')) as ConvertOutput['info'];
    expect(info.downloads.map((d) => d.name)).toEqual(first.files.map((f) => f.name).sort());
    await expect(writeBuild(out, first)).rejects.toThrow(`${out} is not empty: a build is written into a directory of its own`);
  });
});

describe('the manifest', () => {
  it('refuses an original file named like a generated download', async () => {
    const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'data', 'datasets.json'), 'utf8')) as { datasets: { id: string; files: { path: string }[] }[] };
    expect(manifestSchema.safeParse(manifest).success).toBe(true);
    const education = manifest.datasets.find((d) => d.id === 'education');
    if (education) education.files = [{ path: 'statistics/education.csv' }];
    const parsed = manifestSchema.safeParse(manifest);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toContain('file name "education.csv" is the name of a generated download; rename the file');
  });

  it('the shipped originals do not collide with the dump names', async () => {
    const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'data', 'datasets.json'), 'utf8')) as { datasets: { id: string; files: { path: string }[] }[] };
    const generated = new Set(generatedFileNames(manifest.datasets.map((d) => d.id)));
    const originals = manifest.datasets.flatMap((d) => d.files.map((f) => f.path.split('/').pop() ?? ''));
    expect(originals.filter((o) => generated.has(o))).toEqual([]);
    expect(originals).toContain('country.csv');
  });
});
