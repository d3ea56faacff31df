import type { Release } from '../releases/release-store.js';
import { kindText, releaseStrings, summaryText, whenText, whoText } from '../releases/strings.js';
import { inlineStyle } from './csp.js';
import { html } from './escape.js';
import { fmt } from './i18n.js';
import { renderLayout } from './layout.js';
import type { PageContext } from './models.js';

export interface ReleasesPageModel {
  /** Complete releases, newest first. */
  releases: readonly Release[];
  /** The release being served, if it is one of them. */
  live: number | null;
}

/**
 * Styles of the release pages, inline like the layout's (no external CSS). A list rather than a
 * table, and on a narrow screen (a 390 px phone) the changed-figures table stacks each row into
 * label/value lines instead of scrolling sideways. Allowed by its hash in the pages' CSP (csp.ts).
 */
export const RELEASE_CSS = inlineStyle(`
.rl{list-style:none;padding:0;margin:.5rem 0}
.rl li{border-bottom:1px solid #ddd;padding:.5rem 0}
.live{display:inline-block;background:#e3f1e5;color:#1d5a27;border:1px solid #8fc39a;padding:0 .4rem;font-size:.9rem;font-weight:700}
.sum{margin:.2rem 0 0}
code.h{word-break:break-all;font-size:.85rem}
@media(max-width:36rem){.oc thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}.oc tr{display:block;border-bottom:1px solid #ddd;padding:.3rem 0}.oc td{display:block;border:0;padding:0;text-align:left;white-space:normal}.oc td[data-l]::before{content:attr(data-l) ": ";color:#555}}
`);

/** The feed, for the head of the release pages (the catalog page gets `releasesFeedLink`). */
export const feedHead = (title: string) => html`<link rel="alternate" type="application/atom+xml" href="/releases.atom" title="${title}">\n`;

/** /releases: every complete release, newest first, the live one marked, with its counts. */
export function renderReleasesPage(model: ReleasesPageModel, ctx: PageContext): string {
  const s = releaseStrings(ctx.lang);
  const items = model.releases.map(
    (r) => html`<li><a href="/releases/${r.n}"><strong>${fmt(s.releaseN, { n: r.n })}</strong></a>${r.n === model.live ? html` <span class="live">${s.live}</span>` : ''}
<br><span class="meta"><time datetime="${r.finishedAt ?? r.createdAt}">${whenText(r.finishedAt ?? r.createdAt)}</time> · ${kindText(r, ctx.lang)} · ${s.publishedBy}: ${whoText(r, ctx.lang)}</span>
<p class="sum">${summaryText(r.summary, ctx.lang)}</p></li>
`,
  );
  const body = html`<h1>${s.releasesTitle}</h1>
<p>${s.releasesIntro}</p>
<p><a href="/releases.atom" type="application/atom+xml">${s.feedLink}</a></p>
${model.releases.length === 0 ? html`<p>${s.noReleases}</p>` : html`<ol class="rl">\n${items}</ol>`}`;
  return renderLayout(ctx, { title: s.releasesTitle, body, head: html`${feedHead(s.releasesTitle)}${RELEASE_CSS}` });
}
