/**
 * A changeset as files, in the release directory's `changes/`: the patch as gzipped N-Quads, the
 * changed figures as a CSV table for people and as JSON with the summary. Each file is written to a
 * temporary name, synced and renamed, so a reader (the route) never sees half a file.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Labels } from '../html/models.js';
import type { Changeset, Named, ObservationChange } from './changeset.js';

export const CHANGES_DIR = 'changes';
/** The files writeChangeset writes, and the only ones the route serves. */
export const CHANGESET_FILES = ['added.nq.gz', 'removed.nq.gz', 'observations.csv', 'changes.json'] as const;
export type ChangesetFile = (typeof CHANGESET_FILES)[number];

/** Names given by the caller, which win over those found in the builds. */
export interface ChangesetLabels {
  unitNames?: Map<string, Labels>;
  indicatorNames?: Map<string, Labels>;
}

/**
 * Writes `${dir}/changes/`: added.nq.gz, removed.nq.gz, observations.csv (for people: a
 * spreadsheet opens it) and changes.json (summary, observations, names), each to a temporary name
 * first and renamed into place, so a reader never sees half a file.
 */
export async function writeChangeset(dir: string, changeset: Changeset, labels: ChangesetLabels = {}): Promise<void> {
  const out = join(dir, CHANGES_DIR);
  await mkdir(out, { recursive: true });
  const names = new Map(changeset.names);
  for (const given of [labels.unitNames, labels.indicatorNames]) {
    for (const [iri, l] of given ?? []) names.set(iri, { ...names.get(iri), labels: { ...names.get(iri)?.labels, ...l } });
  }
  await atomically(out, 'added.nq.gz', pieces(changeset.added), { gzip: true });
  await atomically(out, 'removed.nq.gz', pieces(changeset.removed), { gzip: true });
  await atomically(out, 'observations.csv', [observationsCsv(changeset.observations, names)]);
  const json = { summary: changeset.summary, observations: changeset.observations, names: Object.fromEntries(names) };
  await atomically(out, 'changes.json', [`${JSON.stringify(json)}\n`]);
}

/**
 * A large text in pieces of about 1 MiB, cut after a newline (never inside a surrogate pair), so
 * a patch of hundreds of MB is never copied whole into one Buffer.
 */
function* pieces(text: string): Generator<string> {
  const size = 1 << 20;
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + size);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end - 1);
      end = nl >= i ? nl + 1 : text.indexOf('\n', end) + 1 || text.length;
    }
    yield text.slice(i, end);
    i = end;
  }
}

async function atomically(dir: string, name: ChangesetFile, body: Iterable<string>, opts: { gzip?: boolean } = {}): Promise<void> {
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    const fh = await open(tmp, 'w');
    try {
      const sink = async (chunks: AsyncIterable<Buffer | string>) => {
        for await (const chunk of chunks) await fh.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      };
      await (opts.gzip ? pipeline(Readable.from(body), createGzip(), sink) : sink(Readable.from(body)));
      // On disk before the rename makes it visible (a release is recorded complete after this).
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
  } finally {
    await rm(tmp, { force: true });
  }
}

const CSV_HEADER = ['unit_code', 'unit_name', 'dataset', 'indicator', 'indicator_name', 'year', 'old_value', 'new_value', 'what'];

/**
 * One cell of RFC 4180 CSV, made safe to open in a spreadsheet (OWASP, "CSV Injection"): a cell
 * that starts with = + - @ tab or carriage return gets a leading single quote, so it is text and
 * never a formula. A plain number ("-3", "12.5") cannot be a formula and is left as it is, so
 * negative figures stay numbers.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function observationsCsv(observations: readonly ObservationChange[], names: Map<string, Named>): string {
  const english = (iri: string | null) => {
    const l = iri ? names.get(iri)?.labels : undefined;
    return l?.en ?? l?.ru ?? l?.tg ?? '';
  };
  const code = (iri: string | null) => (iri ? names.get(iri)?.code ?? iri : '');
  const rows = observations.map((o) => [
    code(o.unit), english(o.unit), code(o.dataset), code(o.indicator), english(o.indicator), o.year ?? '', o.oldValue ?? '', o.newValue ?? '', o.what,
  ]);
  // A byte-order mark: spreadsheet programs otherwise read UTF-8 names (Cyrillic) as another encoding.
  return `\uFEFF${[CSV_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
