/**
 * What one release changed against the release before: the quads added and removed (a patch that
 * turns the previous build's N-Quads into this one's), and, read from those quads, each statistical
 * figure that appeared, changed or disappeared. changeset-files.ts writes it into the release
 * directory's `changes/` as downloads (src/routes/releases.ts serves them).
 *
 * Both builds are canonical N-Quads (src/rdf/nquads.ts): one quad per line, no duplicates, lines
 * sorted by UTF-16 code unit, which is how JavaScript compares strings. So the difference is a merge
 * of two sorted sequences: one pass, nothing held but the difference itself, and every line of one
 * subject is contiguous in both inputs (they share the subject token as a prefix), so a subject's old
 * and new quads are seen together. An input that is not sorted is sorted first (measured and
 * correct, only slower).
 *
 * Lines are compared as text. That is exact for IRIs and literals, which the writer spells one way.
 * A blank node's label is not part of its identity, so a relabelled blank node would show as removed
 * and added (still a correct patch, not a minimal one); the converter mints no blank nodes and the
 * builds hold none (tests/changeset.test.ts checks a real conversion).
 */
import N3 from 'n3';
import type { Quad } from '@rdfjs/types';
import type { Labels } from '../html/models.js';
import { STD } from '../rdf/namespaces.js';
import type { ReleaseSummary } from './release-store.js';

export type ObservationChangeKind = 'added' | 'changed' | 'removed';

/** One figure that changed: a qb:Observation whose measure value appeared, changed or disappeared. */
export interface ObservationChange {
  observation: string;
  /** The unit it is about (the observation's refArea), if the build says. */
  unit: string | null;
  dataset: string | null;
  /** The measure property (the indicator). */
  indicator: string;
  /** The reference period's lexical form (a year, xsd:gYear). */
  year: string | null;
  /** Lexical forms; null where the figure did not exist. */
  oldValue: string | null;
  newValue: string | null;
  what: ObservationChangeKind;
}

/** How something the figures refer to is named in the builds (the newer build first). */
export interface Named {
  labels: Labels;
  code?: string;
}

export interface Changeset {
  /** Quads of the new build that the old one lacks: N-Quads lines, sorted, each ending in a newline. */
  added: string;
  removed: string;
  observations: ObservationChange[];
  summary: ReleaseSummary;
  /** Names and codes of the units, indicators and datasets that `observations` refer to. */
  names: Map<string, Named>;
}

export { CHANGES_DIR, CHANGESET_FILES, type ChangesetFile, type ChangesetLabels, csvCell, writeChangeset } from './changeset-files.js';

const RDF_TYPE = `${STD.rdf}type`;
const OBSERVATION = `${STD.qb}Observation`;
const MEASURE_TYPE = `${STD.qb}measureType`;
const DATA_SET = `${STD.qb}dataSet`;
const SUB_PROPERTY_OF = `${STD.rdfs}subPropertyOf`;
const PREF_LABEL = `${STD.skos}prefLabel`;
const CODE_PROPERTIES = [`${STD.skos}notation`, `${STD.dct}identifier`];
/** A subject's line that makes it a Data Cube observation, as the canonical writer spells it after the subject. */
const TYPE_OBSERVATION = ` <${RDF_TYPE}> <${OBSERVATION}> `;
const SUB_PROPERTY_TOKEN = ` <${SUB_PROPERTY_OF}> `;

const OLD = 1;
const NEW = 2;
const BOTH = OLD | NEW;

/** An input that is not canonical: out of order, or with blank, comment or repeated lines. */
class NotCanonical extends Error {}

/** The lines of one canonical N-Quads text in order, without splitting it into an array (it can be ~250 MB). */
class Lines {
  private pos = 0;
  line: string | undefined;
  constructor(private readonly text: string) {
    this.advance();
  }

  advance(): void {
    const prev = this.line;
    if (this.pos >= this.text.length) {
      this.line = undefined;
      return;
    }
    const nl = this.text.indexOf('\n', this.pos);
    const end = nl < 0 ? this.text.length : nl;
    const line = this.text.slice(this.pos, end);
    this.pos = end + 1;
    // '<' or '_': a quad starts with its subject; anything else is a blank line or a comment.
    const first = line.charCodeAt(0);
    if ((first !== 60 && first !== 95) || (prev !== undefined && line <= prev)) throw new NotCanonical();
    this.line = line;
  }
}

/** The fallback for an input that is not canonical: its distinct lines, sorted. */
function canonical(text: string): string {
  const lines = [...new Set(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')))].sort();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

const parseLines = (lines: readonly string[]): Quad[] => new N3.Parser({ format: 'N-Quads' }).parse(lines.join('\n'));

/** Length of the subject token that starts the line (an IRI cannot hold '>', N-Triples IRIREF; a blank node ends at a space). */
function subjectLength(line: string): number {
  return line.startsWith('<') ? line.indexOf('>') + 1 : line.indexOf(' ');
}

/**
 * The lines of one subject in a sorted text, found by binary search over character positions:
 * a subject's lines are the ones that start with its token and a space, and they are contiguous.
 */
function linesOf(text: string, subjectToken: string): string[] {
  const key = `${subjectToken} `;
  let lo = 0;
  let hi = text.length;
  // lo and hi are line starts; every line starting before lo sorts before key.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === 0 ? 0 : text.lastIndexOf('\n', mid - 1) + 1;
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (text.slice(start, end) < key) lo = end + 1;
    else hi = start;
  }
  const out: string[] = [];
  while (lo < text.length && text.startsWith(key, lo)) {
    const nl = text.indexOf('\n', lo);
    const end = nl < 0 ? text.length : nl;
    out.push(text.slice(lo, end));
    lo = end + 1;
  }
  return out;
}

interface Vocabulary {
  area: Set<string>;
  period: Set<string>;
  codes: Set<string>;
}

/**
 * Computes the changeset between two builds. `previousNq` is null for the first release (then
 * everything is added). One pass over both; memory is the difference itself (for the first
 * release, `added` is `nextNq` itself, not a copy).
 */
export function computeChangeset(previousNq: string | null, nextNq: string): Changeset {
  try {
    return diff(previousNq ?? '', nextNq);
  } catch (e) {
    if (!(e instanceof NotCanonical)) throw e;
    return diff(canonical(previousNq ?? ''), canonical(nextNq));
  }
}

function diff(prev: string, next: string): Changeset {
  const a = new Lines(prev);
  const b = new Lines(next);
  const added: string[] = [];
  const removed: string[] = [];
  let addedCount = 0;
  // rdfs:subPropertyOf statements: they name the vocabulary's refArea, refPeriod and code
  // properties (lg:refArea of sdmx-dimension:refArea ...), so nothing here depends on BASE_URI.
  const subProperties: string[] = [];
  // Subjects with a changed quad that are observations, kept (as lines) until the vocabulary is known.
  const touched: { lines: string[]; sides: number[] }[] = [];

  let subject = '';
  let lines: string[] = [];
  let sides: number[] = [];
  let changed = false;
  const flush = () => {
    if (changed && lines.some((l) => l.startsWith(TYPE_OBSERVATION, subject.length))) {
      touched.push({ lines, sides });
      lines = [];
      sides = [];
    } else {
      lines.length = 0;
      sides.length = 0;
    }
    changed = false;
  };

  while (a.line !== undefined || b.line !== undefined) {
    let line: string;
    let side: number;
    if (b.line === undefined || (a.line !== undefined && a.line < b.line)) {
      line = a.line as string;
      side = OLD;
      removed.push(line);
      a.advance();
    } else if (a.line === undefined || b.line < a.line) {
      line = b.line;
      side = NEW;
      // For the first release everything is added: `next` itself is the patch.
      if (prev === '') addedCount++;
      else added.push(line);
      b.advance();
    } else {
      line = b.line;
      side = BOTH;
      a.advance();
      b.advance();
    }
    if (subject === '' || !line.startsWith(subject) || line.charCodeAt(subject.length) !== 32) {
      flush();
      subject = line.slice(0, subjectLength(line));
    }
    lines.push(line);
    sides.push(side);
    if (side !== BOTH) changed = true;
    if (line.startsWith(SUB_PROPERTY_TOKEN, subject.length)) subProperties.push(line);
  }
  flush();

  const declared = parseLines(subProperties);
  const subs = (of: string) => new Set([of, ...declared.filter((q) => q.object.value === of && q.subject.termType === 'NamedNode').map((q) => q.subject.value)]);
  const vocab: Vocabulary = {
    area: subs(`${STD.sdmxDimension}refArea`),
    period: subs(`${STD.sdmxDimension}refPeriod`),
    codes: new Set(CODE_PROPERTIES.flatMap((p) => [...subs(p)])),
  };
  const observations: ObservationChange[] = [];
  const own = interner();
  for (const t of touched) {
    const before = parseLines(t.lines.filter((_, i) => (t.sides[i] as number) & OLD));
    const after = parseLines(t.lines.filter((_, i) => (t.sides[i] as number) & NEW));
    observations.push(...observationChanges(before, after, vocab, own));
  }

  const count = (w: ObservationChangeKind) => observations.filter((o) => o.what === w).length;
  return {
    added: prev === '' ? (next.endsWith('\n') || next === '' ? next : `${next}\n`) : added.length === 0 ? '' : `${added.join('\n')}\n`,
    removed: removed.length === 0 ? '' : `${removed.join('\n')}\n`,
    observations,
    summary: {
      quadsAdded: prev === '' ? addedCount : added.length,
      quadsRemoved: removed.length,
      observationsAdded: count('added'),
      observationsChanged: count('changed'),
      observationsRemoved: count('removed'),
    },
    names: namesOf(observations, [next, prev], vocab),
  };
}

/**
 * Names and codes of the units, indicators and datasets the changes refer to, looked up in the
 * sorted builds by binary search (the newer build first): a few lines each, however large the data.
 */
function namesOf(observations: readonly ObservationChange[], texts: readonly string[], vocab: Vocabulary): Map<string, Named> {
  const wanted = new Set(observations.flatMap((o) => [o.unit, o.dataset, o.indicator].filter((x): x is string => x !== null)));
  const names = new Map<string, Named>();
  for (const iri of wanted) {
    for (const text of texts) {
      const quads = parseLines(linesOf(text, `<${iri}>`));
      if (quads.length === 0) continue;
      const entry: Named = { labels: {} };
      for (const q of quads) {
        if (q.object.termType !== 'Literal') continue;
        if (vocab.codes.has(q.predicate.value)) entry.code ??= q.object.value;
        const lang = q.object.language.split('-')[0];
        if (q.predicate.value === PREF_LABEL && (lang === 'tg' || lang === 'ru' || lang === 'en')) entry.labels[lang] ??= q.object.value;
      }
      names.set(iri, entry);
      break;
    }
  }
  return names;
}

/** The figure(s) of one observation before and after: one change per measure whose value differs. */
function observationChanges(before: Quad[], after: Quad[], vocab: Vocabulary, own: (s: string) => string): ObservationChange[] {
  const iri = (after[0] ?? before[0])?.subject.value;
  if (iri === undefined) return [];
  // A total the converter computed (lg:computed true, src/convert/aggregate.ts) follows from the
  // figures it sums: a release lists and counts the figures that were reported, not their totals
  // (the N-Quads diff still has every quad).
  if ([...before, ...after].some((q) => q.predicate.value.endsWith('/def/lg#computed') && q.object.value === 'true')) return [];
  const first = (qs: Quad[], test: (p: string) => boolean) => qs.find((q) => test(q.predicate.value))?.object;
  const context = (test: (p: string) => boolean) => {
    const v = (first(after, test) ?? first(before, test))?.value;
    return v === undefined ? null : own(v);
  };
  const measures = new Set([...before, ...after].filter((q) => q.predicate.value === MEASURE_TYPE && q.object.termType === 'NamedNode').map((q) => q.object.value));
  const out: ObservationChange[] = [];
  for (const m of [...measures].sort()) {
    const old = first(before, (p) => p === m);
    const now = first(after, (p) => p === m);
    if (old && now && old.equals(now)) continue;
    if (!old && !now) continue;
    out.push({
      observation: copy(iri),
      unit: context((p) => vocab.area.has(p)),
      dataset: context((p) => p === DATA_SET),
      indicator: own(m),
      year: context((p) => vocab.period.has(p)),
      oldValue: old ? copy(old.value) : null,
      newValue: now ? copy(now.value) : null,
      what: old && now ? 'changed' : now ? 'added' : 'removed',
    });
  }
  return out;
}

/**
 * A string of its own. The parser's terms are slices of the text it parsed, so keeping one would
 * keep that whole text alive: for the first release, 150 000 observations kept ~500 MB this way.
 */
const copy = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** One copy per distinct value (units, datasets, indicators and years repeat across observations). */
function interner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    let v = seen.get(s);
    if (v === undefined) seen.set((v = copy(s)), v);
    return v;
  };
}
