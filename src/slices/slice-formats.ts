import type { FileFormat } from '../catalog/download-formats.js';

/**
 * A slice's three files' names and formats (README, "Slices"), apart from the code that writes
 * them (slice-files.ts): a district's page links to the files, and a module the pages import must
 * not load exceljs, which the server then read and compiled at every start (about a hundred
 * modules of node_modules, most of the start-up regression measured in README's "Start-up").
 */

export type SliceFormatKey = 'csv' | 'ttl' | 'xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const SLICE_FORMATS: Readonly<Record<SliceFormatKey, FileFormat>> = {
  csv: { mediaType: 'text/csv', contentType: 'text/csv; charset=utf-8; header=present', euFileType: 'CSV', label: { tg: 'CSV', ru: 'CSV', en: 'CSV' }, text: true },
  ttl: { mediaType: 'text/turtle', contentType: 'text/turtle; charset=utf-8', euFileType: 'RDF_TURTLE', label: { tg: 'Turtle', ru: 'Turtle', en: 'Turtle' }, text: true },
  xlsx: { mediaType: XLSX, contentType: XLSX, euFileType: 'XLSX', label: { tg: 'XLSX', ru: 'XLSX', en: 'XLSX' }, text: false },
};

export const SLICE_KEYS = Object.keys(SLICE_FORMATS) as SliceFormatKey[];

export function sliceFileName(id: string, key: SliceFormatKey): string {
  return `${id}.${key}`;
}
