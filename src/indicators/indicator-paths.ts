/**
 * The address of an indicator's CSV slice (indicator-download.ts), on its own so that the routes
 * that recognise and link it do not load the indicator pages' code and strings at start-up
 * (README, "Start-up").
 */

/** `/download/indicator-{id}.csv`; the build's own files are looked up first (indicator-download.ts). */
export const INDICATOR_CSV_FILE = /^indicator-([a-z0-9][a-z0-9-]*)\.csv$/;

/** The path of an indicator's CSV slice, for the page's link. */
export function indicatorCsvPath(id: string): string {
  return `/download/indicator-${id}.csv`;
}
