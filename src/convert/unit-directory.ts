import type { ErrorCode } from '../errors.js';
import type { ReleaseUnit } from '../releases/release-units.js';
import { nameKey } from './parse-value.js';
import type { UnitIndex } from './read-wide.js';

/** What a name written instead of a code stands for, or why it stands for nothing certain. */
export type NameResolution =
  | { ok: true; code: string }
  | { ok: false; code: Extract<ErrorCode, 'LG_ERR_UNKNOWN_CODE' | 'LG_ERR_AMBIGUOUS_NAME' | 'LG_ERR_OUTSIDE_AREA'>; reason: string };

/** An area the publisher may give figures for: the unit and every unit below it. */
export interface AreaRule {
  code: string;
  /** "TJ-KT-06 (Yovon)", for messages. */
  label: string;
  contains: (code: string) => boolean;
}

/** "TJ-KT-06-02 Yovon (town)": a unit as a candidate is shown, with its code first. */
function describe(u: ReleaseUnit): string {
  const name = u.labels.en ?? u.labels.tg ?? u.labels.ru ?? '';
  const kind = u.type.replace(/^lg:/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${u.code} ${name} (${kind}${u.retiredOn !== null ? `, retired ${u.retiredOn}` : ''})`;
}

/**
 * The published units of a build, indexed for what uploads need: the converter's UnitIndex, which
 * units lie inside an area, and names to codes inside an area. Built once per set of units (a
 * validator keeps it), since the country has a few hundred units and a synthetic 10x one thousands;
 * each area's name index is made the first time that area uploads.
 */
export class UnitDirectory {
  readonly byCode: ReadonlyMap<string, ReleaseUnit>;
  private readonly index: UnitIndex;
  private readonly children = new Map<string, ReleaseUnit[]>();
  private readonly countryNames = new Map<string, ReleaseUnit[]>();
  private readonly areas = new Map<string, { rule: AreaRule; names: Map<string, ReleaseUnit[]> }>();

  constructor(readonly units: readonly ReleaseUnit[]) {
    this.byCode = new Map(units.map((u) => [u.code, u]));
    this.index = new Map();
    for (const u of units) {
      // English first: the converter's messages quote labels[0] as "the" name of the code.
      const labels = [u.labels.en, u.labels.tg, u.labels.ru, ...u.altLabels].filter((l): l is string => l !== undefined);
      this.index.set(u.code, {
        level: u.level, labels,
        ...(u.retiredOn !== null ? { retiredOn: u.retiredOn } : {}),
        ...(u.replacedBy !== null ? { successor: u.replacedBy } : {}),
      });
      if (u.parent !== null) this.children.set(u.parent, [...(this.children.get(u.parent) ?? []), u]);
      for (const key of namesOf(u)) this.countryNames.set(key, [...(this.countryNames.get(key) ?? []), u]);
    }
  }

  /** The converter's view of the units (level, names, retirement), for readWideSheet. */
  unitIndex(): UnitIndex {
    return this.index;
  }

  /** The units directly below `code`, in code order. */
  childrenOf(code: string): ReleaseUnit[] {
    return [...(this.children.get(code) ?? [])].sort((a, b) => (a.code < b.code ? -1 : 1));
  }

  /** The name to show for a unit: its label in `lang`, else the next of tg -> ru -> en (design.md). */
  nameOf(code: string, lang: 'tg' | 'ru' | 'en' = 'en'): string {
    const u = this.byCode.get(code);
    if (!u) return code;
    return u.labels[lang] ?? u.labels.tg ?? u.labels.ru ?? u.labels.en ?? code;
  }

  /** Whether `code` is `area` or lies below it. */
  contains(area: string, code: string): boolean {
    const seen = new Set<string>();
    for (let c: string | null = code; c !== null && !seen.has(c); c = this.byCode.get(c)?.parent ?? null) {
      if (c === area) return true;
      seen.add(c); // a cycle cannot pass checkUnits, but a hand-edited units.json could hold one
    }
    return false;
  }

  /** The rule for one publisher's area; throws for a code that names no unit (a caller's error, not the official's). */
  area(area: string): AreaRule {
    return this.areaEntry(area).rule;
  }

  /**
   * A name written where a code was expected, resolved inside `area`: a unit that exists wins over
   * a retired one of the same name (the name passed on to it); a name that fits two units of the
   * area is refused with both, since guessing would put a figure on the wrong jamoat; a name that
   * fits only units elsewhere is a unit outside the area.
   */
  resolveName(area: string, name: string): NameResolution {
    const { rule, names } = this.areaEntry(area);
    const key = nameKey(name);
    const inside = names.get(key) ?? [];
    const existing = inside.filter((u) => u.retiredOn === null);
    const candidates = existing.length > 0 ? existing : inside;
    const [only] = candidates;
    if (only && candidates.length === 1) return { ok: true, code: only.code };
    if (candidates.length > 1) {
      return {
        ok: false, code: 'LG_ERR_AMBIGUOUS_NAME',
        reason: `"${name}" is the name of ${candidates.length} units of ${rule.label}: ${candidates.map(describe).join('; ')}; write the code of the one you mean`,
      };
    }
    const elsewhere = this.countryNames.get(key) ?? [];
    if (elsewhere.length > 0) {
      return {
        ok: false, code: 'LG_ERR_OUTSIDE_AREA',
        reason: `"${name}" is the name of ${elsewhere.map(describe).join('; ')}, outside ${rule.label}, the area you publish for`,
      };
    }
    return { ok: false, code: 'LG_ERR_UNKNOWN_CODE', reason: `no unit of ${rule.label} has this code or name (in Tajik, Russian or English)` };
  }

  private areaEntry(area: string): { rule: AreaRule; names: Map<string, ReleaseUnit[]> } {
    const known = this.areas.get(area);
    if (known) return known;
    const top = this.byCode.get(area);
    if (!top) throw new Error(`the area ${JSON.stringify(area)} is not the code of a published unit`);
    const names = new Map<string, ReleaseUnit[]>();
    const stack = [top];
    for (let u = stack.pop(); u !== undefined; u = stack.pop()) {
      for (const key of namesOf(u)) names.set(key, [...(names.get(key) ?? []), u]);
      stack.push(...(this.children.get(u.code) ?? []));
    }
    const entry = {
      rule: { code: area, label: `${area} (${this.nameOf(area)})`, contains: (code: string) => this.contains(area, code) },
      names,
    };
    this.areas.set(area, entry);
    return entry;
  }
}

/** Every name of a unit as comparison keys, each once. */
function namesOf(u: ReleaseUnit): Set<string> {
  return new Set([u.labels.tg, u.labels.ru, u.labels.en, ...u.altLabels].filter((l): l is string => l !== undefined && l.trim() !== '').map(nameKey));
}
