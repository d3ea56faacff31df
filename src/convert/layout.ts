import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import '../zod-english.js';
import { generatedFileNames } from '../catalog/download-formats.js';
import { ProblemsError } from '../errors.js';

/** Cell types a units column can declare; each has one parser in `row-schema.ts`. */
export const CELL_TYPES = [
  'text', 'cyrillic', 'list', 'code', 'count', 'decimal', 'year', 'latitude', 'longitude', 'enum',
  'qid', 'digits', 'sources', 'date',
  // A day when the source gives one, else a year ("created 1996"): xsd:date or xsd:gYear.
  'date-or-year',
] as const;

export const ROLES = [
  'code', 'type', 'parent', 'centre', 'centre-lat', 'centre-lon', 'lat', 'lon', 'ignore',
  // A unit that no longer exists keeps its row (and its URI): the day it ended, and the unit that took its place.
  'retired-on', 'successor',
] as const;

/** Cell types whose value is free text: each such column bounds it (`maxLength`). */
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'cyrillic', 'list', 'sources']);

// zod/mini, as in config.ts: the server loads this module too, and the full zod costs start-up time.
const nonEmpty = () => z.string().check(z.minLength(1));
const CURIE = /^[a-z]+:[\w-]+$/;

const columnSchema = z
  .object({
    headers: z.array(nonEmpty()).check(z.minLength(1)),
    type: z.enum(CELL_TYPES),
    required: z._default(z.boolean(), false),
    role: z.optional(z.enum(ROLES)),
    predicate: z.optional(z.string().check(z.regex(CURIE, 'a CURIE such as skos:prefLabel'))),
    /**
     * A different predicate for units of some classes (keyed by the class CURIE the Type column
     * gives): the same identifier may name the unit itself for one kind of unit and only a close
     * match for another (README, "The fifth star").
     */
    predicateByType: z.optional(z.record(z.string().check(z.regex(CURIE)), z.string().check(z.regex(CURIE)))),
    lang: z.optional(z.enum(['tg', 'ru', 'en'])),
    /**
     * The column holds one official name: one name per cell (no "A/B": the others go to an "Other
     * names" column), beginning with a capital letter as Tajik, Russian and English write names.
     */
    name: z.optional(z.boolean()),
    iri: z.optional(z.string().check(z.includes('{value}'))),
    pattern: z.optional(z.string()),
    values: z.optional(z.record(z.string(), z.string())),
    /** The most characters a text-like cell may hold, by what the column means (a name, a note). */
    maxLength: z.optional(z.number().check(z.int(), z.positive())),
  })
  .check(
    z.refine((c) => !TEXT_TYPES.has(c.type) || c.maxLength !== undefined, 'a text column needs its maxLength'),
    z.refine((c) => c.role !== undefined || c.predicate !== undefined, 'a column needs a role or a predicate'),
    z.refine((c) => c.type !== 'enum' || c.values !== undefined, 'an enum column needs its values'),
  );

export type ColumnSpec = z.output<typeof columnSchema>;

export const unitsLayoutSchema = z.object({
  layout: z.literal('units'),
  columns: z.record(z.string(), columnSchema),
});
export type UnitsLayout = z.output<typeof unitsLayoutSchema>;

export const wideLayoutSchema = z.object({
  layout: z.literal('wide-statistics'),
  codeHeaders: z.array(z.string()).check(z.minLength(1)),
  nameHeaders: z.array(z.string()).check(z.minLength(1)),
  /** The most characters of a unit's name in the name column (it is compared, not published). */
  nameMaxLength: z.number().check(z.int(), z.positive()),
  totalsLabels: z.array(z.string()).check(z.minLength(1)),
});
export type WideLayout = z.output<typeof wideLayoutSchema>;

const langMap = z.object({ tg: nonEmpty(), ru: nonEmpty(), en: nonEmpty() });
const LEVELS = ['country', 'region', 'district', 'jamoat'] as const;
export type Level = (typeof LEVELS)[number];

const fileEntry = z.object({
  path: z.string().check(z.regex(/\.(xlsx|csv)$/i, 'a .xlsx or .csv file')),
  level: z.optional(z.enum(LEVELS)),
});

const datasetSchema = z.object({
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  kind: z.enum(['units', 'statistics']),
  layout: nonEmpty(),
  files: z.array(fileEntry).check(z.minLength(1)),
  topic: z.optional(z.string()),
  title: langMap,
  description: langMap,
  keywords: z.object({ tg: z.array(z.string()), ru: z.array(z.string()), en: z.array(z.string()) }),
  themes: z.array(z.string().check(z.regex(/^[A-Z]{4}$/))).check(z.minLength(1)),
  sample: z.boolean(),
  sampleNote: z.optional(langMap),
  issued: z.iso.date(),
  modified: z.iso.date(),
  sources: z.array(nonEmpty()).check(z.minLength(1)),
  provenance: langMap,
});
export type DatasetSpec = z.output<typeof datasetSchema>;

export const manifestSchema = z
  .object({
    publisher: z.object({ id: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)), name: langMap, homepage: z.optional(z.url()) }),
    /** The catalog's own title and description (/catalog). */
    catalog: z.optional(z.object({ title: langMap, description: langMap })),
    /**
     * Where people report problems (dcat:contactPoint): an email address, or a URL relative to
     * BASE_URI (files in data/ never name a host), or both.
     */
    contactPoint: z.optional(
      z
        .object({ name: langMap, email: z.optional(z.email()), url: z.optional(z.string().check(z.regex(/^[#/a-z]/, 'a URL relative to BASE_URI, e.g. #report-an-error'))) })
        .check(z.refine((c) => c.email !== undefined || c.url !== undefined, 'a contact point needs an email or a url')),
    ),
    license: z.url(),
    /** How many units of a level the country has, with its source: the coverage pages compare against it. */
    expected: z.optional(z.object({ jamoat: z.object({ count: z.number().check(z.int(), z.positive()), source: z.url(), note: z.string() }) })),
    datasets: z.array(datasetSchema).check(z.minLength(1)),
  })
  .check(z.superRefine((m, ctx) => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const d of m.datasets) {
      if (ids.has(d.id)) ctx.addIssue({ code: 'custom', message: `dataset id "${d.id}" is used twice` });
      ids.add(d.id);
      if (d.kind === 'units' && d.files.some((f) => !f.level)) {
        ctx.addIssue({ code: 'custom', message: `dataset "${d.id}": every units file needs its level` });
      }
      for (const f of d.files) {
        const base = f.path.split('/').pop() ?? f.path;
        // Source files are published flat under /download/ (design.md), so names must be unique.
        if (names.has(base)) ctx.addIssue({ code: 'custom', message: `file name "${base}" is used twice` });
        names.add(base);
      }
    }
    // Dumps are published flat beside the originals (/download/{file}): no original may take a dump's name.
    const generated = new Set(generatedFileNames(m.datasets.map((d) => d.id)));
    for (const name of names) {
      if (generated.has(name)) ctx.addIssue({ code: 'custom', message: `file name "${name}" is the name of a generated download; rename the file` });
    }
  }));
export type Manifest = z.output<typeof manifestSchema>;

async function loadJson<T>(path: string, file: string, schema: z.ZodMiniType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ProblemsError([{ code: 'LG_ERR_MANIFEST', file, reason: (e as Error).message }]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ProblemsError(parsed.error.issues.map((i) => ({
      code: 'LG_ERR_MANIFEST' as const,
      file,
      column: i.path.join('.'),
      reason: i.message,
    })));
  }
  return parsed.data;
}

export function loadManifest(dataDir: string): Promise<Manifest> {
  return loadJson(join(dataDir, 'datasets.json'), 'datasets.json', manifestSchema);
}

export function loadUnitsLayout(dataDir: string, name: string): Promise<UnitsLayout> {
  return loadJson(join(dataDir, name), name, unitsLayoutSchema);
}

export function loadWideLayout(dataDir: string, name: string): Promise<WideLayout> {
  return loadJson(join(dataDir, name), name, wideLayoutSchema);
}
