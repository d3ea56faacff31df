import { type SafeHtml, html } from '../html/escape.js';
import { formatNumber } from '../html/i18n.js';
import type { Lang } from '../html/models.js';

export interface Bar {
  label: string;
  /** The figure's lexical form (shown as it is, in the page's number format). */
  value: string;
  /** A computed total: its label gets the Σ mark, its bar a lighter fill. */
  computed?: boolean;
}

const WIDTH = 320;
const ROW = 27;

/**
 * Units side by side for one year, largest first: a horizontal bar per unit with its name and
 * figure above the bar, so long names and big numbers need no axis and the chart stays 320 px
 * wide (a phone's screen less the page's margins). Inline SVG, no script; the <title> (the
 * accessible name of role="img") lists every figure, which the table beside it also has.
 */
export function renderBarChart(bars: readonly Bar[], opts: { title: string; lang: Lang; unit?: string }): SafeHtml {
  const sorted = [...bars].filter((b) => Number.isFinite(Number(b.value))).sort((a, b) => Number(b.value) - Number(a.value) || a.label.localeCompare(b.label));
  if (sorted.length === 0) return html``;
  const max = Math.max(...sorted.map((b) => Number(b.value)), 0) || 1;
  const height = sorted.length * ROW + 4;
  const text = (b: Bar) => `${b.label}${b.computed ? ' Σ' : ''}`;
  const alt = `${opts.title}: ${sorted.map((b) => `${text(b)} ${formatNumber(b.value, opts.lang)}`).join('; ')}${opts.unit ? ` (${opts.unit})` : ''}`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" font-size="12"><title>${alt}</title>${sorted.map((b, i) => {
    const y = i * ROW;
    const w = Math.max(1, Math.round((Math.max(0, Number(b.value)) / max) * WIDTH * 10) / 10);
    return html`<text x="0" y="${y + 12}" fill="#1b1b1b">${text(b)}</text><text x="${WIDTH}" y="${y + 12}" text-anchor="end" fill="#1b1b1b">${formatNumber(b.value, opts.lang)}</text><rect x="0" y="${y + 15}" width="${w}" height="9" fill="${b.computed ? '#7fa7d6' : '#0b5cad'}"/>`;
  })}</svg>`;
}
