/**
 * The class of a table of figures by year that a phone reads stacked (layout.ts, class "sg"): each
 * row's name on a line of its own, its figures under the years in columns of at least 4.5rem, four
 * at 360 px. A figure longer than fits one of those (at 16 px: "44 393 Σ" fits, "125 252,4" does
 * not) would spill out of its cell, so a table with one gets columns of 6.5rem instead ("wf").
 * Measured in characters, the computed-total mark and the space before it included.
 */
const NARROW_MAX_CHARS = 8;

export function stackedFigureTable(figureTexts: Iterable<string>): string {
  for (const text of figureTexts) if ([...text].length > NARROW_MAX_CHARS) return 'sg wf';
  return 'sg';
}
