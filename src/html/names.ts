import { type SafeHtml, html } from './escape.js';
import { fmt, pickLabel, t, type PickedLabel } from './i18n.js';
import type { Labels, Lang } from './models.js';

/**
 * Shows labels in the page language and marks every fallback visibly: the text in its own
 * language (`lang` attribute) followed by `<small class="fb">[EN]</small>`, the code of the
 * language shown; the page then carries one legend sentence explaining the marker. Collects the
 * fallback languages used so the legend names them.
 */
export class Names {
  readonly used = new Set<Lang>();
  constructor(readonly lang: Lang) {}

  pick(labels: Labels): PickedLabel | undefined {
    const p = pickLabel(labels, this.lang);
    if (p?.fallback) this.used.add(p.lang);
    return p;
  }

  /** Plain text (for title, alt text, JSON), no marker. */
  text(labels: Labels, orElse = ''): string {
    return pickLabel(labels, this.lang)?.text ?? orElse;
  }

  /**
   * Plain text with the marker as text ("Norin [EN]"), for where no markup can go (a chart's or a
   * map's SVG text): a fallback is still visibly one.
   */
  textMarked(labels: Labels, orElse = ''): string {
    const p = this.pick(labels);
    if (!p) return orElse;
    return p.fallback ? `${p.text} [${p.lang.toUpperCase()}]` : p.text;
  }

  /** The label as HTML, with the fallback marker when it is not in the page language. */
  label(labels: Labels, orElse = ''): SafeHtml {
    const p = this.pick(labels);
    if (!p) return html`${orElse}`;
    if (!p.fallback) return html`${p.text}`;
    return html`<span lang="${p.lang}">${p.text}</span> ${this.marker(p.lang)}`;
  }

  /** A text shown in another language than the page's: in its language, with the marker. */
  marked(text: string, shown: Lang): SafeHtml {
    this.used.add(shown);
    return html`<span lang="${shown}">${text}</span> ${this.marker(shown)}`;
  }

  marker(shown: Lang): SafeHtml {
    const s = t(this.lang);
    return html`<small class="fb" title="${fmt(s.fbNote, { lang: s[`in_${shown}`] })}">[${shown.toUpperCase()}]</small>`;
  }

  /** The sentence under a heading whose label is a fallback. */
  headingNote(labels: Labels): SafeHtml | undefined {
    const p = pickLabel(labels, this.lang);
    if (!p?.fallback) return undefined;
    const s = t(this.lang);
    return html`<p class="note">${fmt(s.fbNote, { lang: s[`in_${p.lang}`] })}</p>`;
  }

  /** One sentence explaining the markers, if any label on the page was a fallback. */
  legend(): SafeHtml | undefined {
    if (this.used.size === 0) return undefined;
    const codes = [...this.used]
      .sort()
      .map((l) => `[${l.toUpperCase()}]`)
      .join(', ');
    return html`<p class="note">${fmt(t(this.lang).fbLegend, { codes })}</p>`;
  }
}
