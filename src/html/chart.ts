import { type SafeHtml, html } from './escape.js';
import { formatNumber } from './i18n.js';
import type { Lang } from './models.js';

export interface SeriesPoint {
  year: number;
  value: number;
}

export interface ChartOptions {
  /** What the series is, e.g. "Pupils in general education schools". */
  label: string;
  /** Unit shown in the text alternative, e.g. "persons". */
  unit?: string;
  lang: Lang;
  /** Line (default) or bars; bars start at zero. */
  kind?: 'line' | 'bar';
  width?: number;
  height?: number;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A tiny inline SVG chart of a yearly series: no script, no external resource, deterministic
 * output (coordinates rounded to 0.1). The first and last years are labelled under the plot; the
 * <title> (the accessible name of role="img") carries a text alternative with every value, so the chart is readable by
 * screen readers (and the figures are in the table next to it anyway).
 */
export function renderChart(series: readonly SeriesPoint[], opts: ChartOptions): SafeHtml {
  const pts = [...series].filter((p) => Number.isFinite(p.value)).sort((a, b) => a.year - b.year);
  const w = opts.width ?? 220;
  const h = opts.height ?? 60;
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (!first || !last) return html``;
  const alt = `${opts.label}, ${first.year}–${last.year}: ${pts.map((p) => `${p.year}: ${formatNumber(String(p.value), opts.lang)}`).join('; ')}${opts.unit ? ` (${opts.unit})` : ''}`;
  const pad = 6;
  const top = 5;
  // The year labels are 12 px (the chart is drawn at its own size, not scaled): smaller is hard to
  // read on a phone held at arm's length.
  const bottom = h - 15;
  const kind = opts.kind ?? 'line';
  const values = pts.map((p) => p.value);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (kind === 'bar') min = Math.min(0, min);
  if (max === min) {
    max += 1;
    min -= 1;
  }
  const span = last.year - first.year || 1;
  const x = (year: number) => r1(pad + ((year - first.year) / span) * (w - 2 * pad));
  const y = (v: number) => r1(top + (1 - (v - min) / (max - min)) * (bottom - top));
  let marks: SafeHtml;
  if (kind === 'bar') {
    const bw = r1(Math.max(2, (w - 2 * pad) / (span + 1) - 2));
    marks = html`${pts.map((p) => {
      const bx = r1(pad + ((p.year - first.year) / (span + 1)) * (w - 2 * pad));
      const by = y(p.value);
      return html`<rect x="${bx}" y="${by}" width="${bw}" height="${r1(y(Math.max(min, 0)) - by)}"/>`;
    })}`;
  } else {
    const line = pts.map((p) => `${x(p.year)},${y(p.value)}`).join(' ');
    marks = html`<polyline points="${line}" fill="none" stroke="#0b5cad" stroke-width="2"/>${pts.map(
      (p) => html`<circle cx="${x(p.year)}" cy="${y(p.value)}" r="2.5"/>`,
    )}`;
  }
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" fill="#0b5cad"><title>${alt}</title><line x1="${pad}" y1="${bottom}" x2="${w - pad}" y2="${bottom}" stroke="#bbb"/>${marks}<text x="${pad}" y="${h - 3}" font-size="12" fill="#555">${first.year}</text><text x="${w - pad}" y="${h - 3}" font-size="12" fill="#555" text-anchor="end">${last.year}</text></svg>`;
}
