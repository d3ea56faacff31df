/** `BASE/id/jamoat/TJ-KT-06-06` -> `/doc/jamoat/TJ-KT-06-06` (design.md: the document about a thing). */
export function docPath(iri: string, base: string): string {
  if (iri.startsWith(`${base}id/`)) return `/doc/${iri.slice(base.length + 3)}`;
  if (iri.startsWith(base)) return `/${iri.slice(base.length)}`;
  return iri;
}
