/**
 * JSON of the Action API's answers, with each package's JSON made once per data version: a
 * search of every package is hundreds of kilobytes of JSON, nearly all of it packages that do not
 * change, so an answer is the packages' prepared text joined with a little new JSON around it.
 * The text is what JSON.stringify gives (keys whose value is undefined left out).
 */
const prepared = new WeakMap<object, string>();

/** Prepares the JSON of objects that will appear in many answers (the catalog's packages). */
export function prepare(objects: Iterable<object>): void {
  for (const o of objects) prepared.set(o, JSON.stringify(o));
}

export function toJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const text = prepared.get(value);
    if (text !== undefined) return text;
    const members = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
