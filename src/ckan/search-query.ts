/**
 * The part of Solr's query syntax that CKAN clients send in `q`, `fq` and `fq_list`, parsed into a
 * tree that package-search.ts evaluates against packages. CKAN passes these strings to Solr with
 * `q.op=AND` (ckan/lib/search/query.py), so clauses side by side must all hold, `OR` joins the
 * clauses beside it, `+` requires and `-` or `NOT` excludes:
 *
 *   organization:local-development-committee OR organization:other     (ckanext-harvest's org filter)
 *   -organization:other                                                 (its exclusion)
 *   metadata_modified:[2026-11-22T10:00:00.123456Z TO *]               (its "changed since")
 *   tags:population res_format:CSV   tags:"sample data"   groups:(tjk OR afg)
 *
 * Field values are matched as Solr's string fields are (exactly, `*` as a trailing wildcard, `*`
 * alone for "has a value"); ranges `[a TO b]` (inclusive) and `{a TO b}` (exclusive) compare dates
 * as instants and numbers as numbers. A bare word searches the text, as `q` does.
 */
export type Node =
  | { kind: 'and'; items: Node[] }
  | { kind: 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'all' }
  | { kind: 'text'; words: string[] }
  | { kind: 'term'; field: string; value: string; quoted: boolean }
  | { kind: 'range'; field: string; from: string; to: string; fromInclusive: boolean; toInclusive: boolean };

export class QuerySyntaxError extends Error {}

export function parseQuery(input: string): Node {
  const p = new Parser(input);
  const node = p.expression();
  p.skipSpace();
  if (!p.done()) throw new QuerySyntaxError(`Cannot parse '${input}': unexpected '${p.rest().slice(0, 20)}'`);
  return node;
}

/** Deeper nesting than any harvester sends is refused as Solr would refuse nonsense, not left to the call stack. */
const MAX_DEPTH = 32;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }
  rest(): string {
    return this.s.slice(this.i);
  }
  skipSpace(): void {
    while (!this.done() && /\s/.test(this.s[this.i] as string)) this.i++;
  }
  private keyword(word: string): boolean {
    const m = new RegExp(`^${word.replace(/[|&]/g, '\\$&')}(?=[\\s(]|$)`).exec(this.rest());
    if (!m) return false;
    this.i += word.length;
    return true;
  }

  /** Clauses side by side (AND, q.op=AND); `OR` binds the two clauses beside it. */
  expression(): Node {
    if (++this.depth > MAX_DEPTH) throw new QuerySyntaxError(`Cannot parse '${this.s.slice(0, 100)}': nested more than ${MAX_DEPTH} deep`);
    const ands: Node[] = [];
    for (;;) {
      this.skipSpace();
      if (this.done() || this.s[this.i] === ')') break;
      if (this.keyword('AND') || this.keyword('&&')) continue;
      let node = this.unary();
      for (;;) {
        const save = this.i;
        this.skipSpace();
        if (this.keyword('OR') || this.keyword('||')) {
          this.skipSpace();
          const right = this.unary();
          node = node.kind === 'or' ? { kind: 'or', items: [...node.items, right] } : { kind: 'or', items: [node, right] };
        } else {
          this.i = save;
          break;
        }
      }
      ands.push(node);
    }
    if (ands.length === 0) throw new QuerySyntaxError(`Cannot parse '${this.s}': empty clause`);
    this.depth--;
    return ands.length === 1 ? (ands[0] as Node) : { kind: 'and', items: ands };
  }

  private unary(): Node {
    this.skipSpace();
    if (this.s[this.i] === '-' || this.s[this.i] === '!') {
      this.i++;
      return { kind: 'not', item: this.primary() };
    }
    if (this.keyword('NOT')) {
      this.skipSpace();
      return { kind: 'not', item: this.primary() };
    }
    if (this.s[this.i] === '+') this.i++;
    return this.primary();
  }

  private primary(): Node {
    this.skipSpace();
    if (this.s[this.i] === '(') {
      this.i++;
      const node = this.expression();
      this.expect(')');
      return node;
    }
    if (this.s.startsWith('*:*', this.i)) {
      this.i += 3;
      return { kind: 'all' };
    }
    if (this.s[this.i] === '"') return { kind: 'text', words: words(this.quoted()) };
    const field = /^([A-Za-z_][\w.-]*):/.exec(this.rest());
    if (field) {
      this.i += field[0].length;
      return this.fieldValue(field[1] as string);
    }
    const word = this.bare();
    if (!word) throw new QuerySyntaxError(`Cannot parse '${this.s}': expected a clause at ${this.i}`);
    return { kind: 'text', words: words(word) };
  }

  private fieldValue(field: string): Node {
    const c = this.s[this.i];
    if (c === '[' || c === '{') {
      this.i++;
      this.skipSpace();
      const from = this.rangeBound();
      this.skipSpace();
      if (!this.keyword('TO')) throw new QuerySyntaxError(`Cannot parse '${this.s}': expected TO in a range`);
      this.skipSpace();
      const to = this.rangeBound();
      this.skipSpace();
      const close = this.s[this.i];
      if (close !== ']' && close !== '}') throw new QuerySyntaxError(`Cannot parse '${this.s}': unclosed range`);
      this.i++;
      return { kind: 'range', field, from, to, fromInclusive: c === '[', toInclusive: close === ']' };
    }
    if (c === '(') {
      // field:(a OR b c): each value with this field.
      this.i++;
      const inner = this.expression();
      this.expect(')');
      return withField(inner, field);
    }
    if (c === '"') return { kind: 'term', field, value: this.quoted(), quoted: true };
    const value = this.bare();
    if (!value) throw new QuerySyntaxError(`Cannot parse '${this.s}': ${field} has no value`);
    return { kind: 'term', field, value, quoted: false };
  }

  private rangeBound(): string {
    if (this.s[this.i] === '"') return this.quoted();
    const m = /^[^\s\]}]+/.exec(this.rest());
    if (!m) throw new QuerySyntaxError(`Cannot parse '${this.s}': empty range bound`);
    this.i += m[0].length;
    return m[0].replace(/\\(.)/g, '$1');
  }

  private quoted(): string {
    let out = '';
    this.i++;
    while (!this.done() && this.s[this.i] !== '"') {
      if (this.s[this.i] === '\\') this.i++;
      out += this.s[this.i] ?? '';
      this.i++;
    }
    if (this.done()) throw new QuerySyntaxError(`Cannot parse '${this.s}': unclosed quote`);
    this.i++;
    return out;
  }

  /** A bare value: up to whitespace or a parenthesis; backslash escapes the next character. */
  private bare(): string {
    let out = '';
    while (!this.done() && !/[\s()]/.test(this.s[this.i] as string)) {
      if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) this.i++;
      out += this.s[this.i];
      this.i++;
    }
    return out;
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.s[this.i] !== c) throw new QuerySyntaxError(`Cannot parse '${this.s}': expected '${c}'`);
    this.i++;
  }
}

/** Inside `field:( ... )`, bare words are values of that field. */
function withField(node: Node, field: string): Node {
  switch (node.kind) {
    case 'text': return { kind: 'term', field, value: node.words.join(' '), quoted: false };
    case 'and': case 'or': return { kind: node.kind, items: node.items.map((n) => withField(n, field)) };
    case 'not': return { kind: 'not', item: withField(node.item, field) };
    default: return node;
  }
}

/** Words of a text, lower-cased, in any script (Tajik and Russian keywords as well as English). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const UNIT_MS: Readonly<Record<string, number>> = { SECOND: 1e3, MINUTE: 6e4, HOUR: 36e5, DAY: 864e5 };

/**
 * A date as Solr reads one: ISO 8601 (`Z` or not, fractions of a second allowed) or `NOW` with
 * `+/-N UNIT` steps (SECOND, MINUTE, HOUR, DAY, MONTH, YEAR) and `/DAY` rounding. NaN if neither.
 */
export function solrInstant(text: string, now = Date.now()): number {
  const m = /^NOW((?:[+-]\d+(?:SECOND|MINUTE|HOUR|DAY|MONTH|YEAR)S?|\/(?:DAY|HOUR|MONTH|YEAR)S?)*)$/.exec(text);
  if (m) {
    const d = new Date(now);
    for (const step of (m[1] as string).match(/[+-]\d+[A-Z]+|\/[A-Z]+/g) ?? []) {
      const [, sign, count, unitName] = /^([+/-])(\d*)([A-Z]+?)S?$/.exec(step) as RegExpExecArray;
      const unit = unitName as string;
      if (sign === '/') {
        if (unit === 'YEAR') d.setUTCMonth(0, 1);
        if (unit === 'MONTH') d.setUTCDate(1);
        d.setUTCHours(unit === 'HOUR' ? d.getUTCHours() : 0, 0, 0, 0);
      } else {
        const n = Number(count) * (sign === '-' ? -1 : 1);
        if (unit === 'MONTH') d.setUTCMonth(d.getUTCMonth() + n);
        else if (unit === 'YEAR') d.setUTCFullYear(d.getUTCFullYear() + n);
        else d.setTime(d.getTime() + n * (UNIT_MS[unit] ?? NaN));
      }
    }
    return d.getTime();
  }
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.test(text)) return NaN;
  // Solr's dates are UTC; CKAN writes them without a zone.
  const iso = /T/.test(text) ? text.replace(/\.(\d{3})\d+/, '.$1') : `${text}T00:00:00`;
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(iso) ? iso : `${iso}Z`);
}
