import type { DownloadInfo } from '../catalog/dumps.js';
import { docPath } from '../describe/doc-path.js';
import type { ChangesetFile, Named, ObservationChange } from '../releases/changeset.js';
import type { Release } from '../releases/release-store.js';
import { type ReleaseStrings, kindText, releaseStrings, sizeText, whenText, whoText } from '../releases/strings.js';
import { type SafeHtml, html, safeHref } from './escape.js';
import { fmt, formatNumber } from './i18n.js';
import { renderLayout } from './layout.js';
import type { PageContext } from './models.js';
import { Names } from './names.js';
import { shortIri } from './page-parts.js';
import { RELEASE_CSS, feedHead } from './releases-page.js';

export interface ReleasePageModel {
  release: Release;
  /** From changes/changes.json; null when the release has none (or it cannot be read). */
  changes: {
    /** The first rows only (the page shows a bounded table; the CSV has them all). */
    observations: readonly ObservationChange[];
    total: number;
    names: ReadonlyMap<string, Named>;
  } | null;
  /** The changeset files present in changes/, with their sizes. */
  changeFiles: readonly { name: ChangesetFile; bytes: number }[];
  /** The release's dumps, from its build-info.json. */
  downloads: readonly DownloadInfo[];
}

const FILE_TEXT: Record<ChangesetFile, keyof ReleaseStrings> = {
  'added.nq.gz': 'file_added',
  'removed.nq.gz': 'file_removed',
  'observations.csv': 'file_csv',
  'changes.json': 'file_json',
};

/**
 * /releases/{n}: who published the release and when, how it came about, what changed (the counts,
 * the changed figures, the changeset files) and the data files of that release. Nothing on it
 * depends on later releases, so it can be cached for long.
 */
export function renderReleasePage(model: ReleasePageModel, ctx: PageContext): string {
  const s = releaseStrings(ctx.lang);
  const r = model.release;
  const n = (x: number) => formatNumber(x, ctx.lang);
  const title = fmt(s.releaseN, { n: r.n });
  const when = r.finishedAt ?? r.createdAt;

  const facts = html`<dl>
<dt>${s.publishedBy}</dt><dd>${whoText(r, ctx.lang)}</dd>
<dt>${s.publishedAt}</dt><dd><time datetime="${when}">${whenText(when)}</time></dd>
<dt>${s.kind}</dt><dd>${kindText(r, ctx.lang)}${r.kind === 'rollback' && r.rollbackTo !== null ? html` · <a href="/releases/${r.rollbackTo}">${fmt(s.releaseN, { n: r.rollbackTo })}</a>` : ''}</dd>
<dt>${s.previousRelease}</dt><dd>${r.previous === null ? s.none : html`<a href="/releases/${r.previous}" rel="prev">${fmt(s.releaseN, { n: r.previous })}</a>`}</dd>
<dt>${s.overlays}</dt><dd>${r.overlays.length === 0 ? s.overlaysNone : r.overlays.map((u, i) => `${i > 0 ? ', ' : ''}${fmt(s.uploadN, { n: u })}`).join('')}</dd>
<dt>${s.dataVersion}</dt><dd><code>${r.dataVersion ?? ''}</code></dd>
</dl>`;

  const sum = r.summary;
  const counts = html`<p>${r.previous === null ? s.changesFirst : fmt(s.changesAgainst, { n: r.previous })}</p>
${sum ? html`<ul>
<li>${fmt(s.obsAdded, { n: n(sum.observationsAdded) })}</li>
<li>${fmt(s.obsChanged, { n: n(sum.observationsChanged) })}</li>
<li>${fmt(s.obsRemoved, { n: n(sum.observationsRemoved) })}</li>
<li>${fmt(s.quadsAdded, { n: n(sum.quadsAdded) })}</li>
<li>${fmt(s.quadsRemoved, { n: n(sum.quadsRemoved) })}</li>
</ul>` : ''}`;

  const files = model.changeFiles.length === 0
    ? html`<p>${s.changesMissing}</p>`
    : html`<ul>${model.changeFiles.map((f) => html`<li><a href="/releases/${r.n}/changes/${f.name}" download>${s[FILE_TEXT[f.name]]}</a> (${sizeText(f.bytes, ctx.lang)})</li>`)}</ul>`;

  const downloads = model.downloads.length === 0
    ? html`<p>${s.noFiles}</p>`
    : html`<p>${s.releaseFilesIntro}</p>
<ul>${model.downloads.map((d) => html`<li><a href="/releases/${r.n}/download/${d.name}">${d.name}</a> (${sizeText(d.bytes, ctx.lang)})<br><code class="h">sha256:${d.sha256}</code></li>\n`)}</ul>`;

  const names = new Names(ctx.lang);
  const body = html`<h1>${title}</h1>
<p><a href="/releases">${s.allReleases}</a> · <a href="/releases.atom" type="application/atom+xml">${s.feedLink}</a></p>
${facts}
<section aria-labelledby="changes"><h2 id="changes">${s.changes}</h2>
${counts}
<h3>${s.changedFigures}</h3>
${model.changes === null ? html`<p>${s.changesMissing}</p>` : changesTable(model.changes, { ctx, s, names, n: r.n })}
<h3>${s.changesetFiles}</h3>
${files}
</section>
<section aria-labelledby="files"><h2 id="files">${s.releaseFiles}</h2>
${downloads}
</section>
${names.legend() ?? ''}`;
  return renderLayout(ctx, { title, body, head: html`${feedHead(s.releasesTitle)}${RELEASE_CSS}` });
}

function changesTable(changes: NonNullable<ReleasePageModel['changes']>, o: { ctx: PageContext; s: ReleaseStrings; names: Names; n: number }): SafeHtml {
  const { ctx, s, names } = o;
  if (changes.total === 0) return html`<p>${s.noChangedFigures}</p>`;
  const value = (v: string | null) => (v === null ? '—' : formatNumber(v, ctx.lang));
  const link = (iri: string | null, fallback: string) => {
    if (iri === null) return html`${fallback}`;
    const named = changes.names.get(iri);
    const label = names.label(named?.labels ?? {}, named?.code ?? shortIri(iri, ctx.base));
    const href = safeHref(docPath(iri, ctx.base));
    return href ? html`<a href="${href}">${label}</a>` : label;
  };
  const rows = changes.observations.map((c) => {
    const code = c.unit === null ? undefined : changes.names.get(c.unit)?.code;
    return html`<tr><td data-l="${s.colUnit}">${link(c.unit, '—')}${code ? html` <small><code>${code}</code></small>` : ''}</td><td data-l="${s.colIndicator}">${link(c.indicator, c.indicator)}</td><td data-l="${s.colYear}">${c.year ?? ''}</td><td class="n" data-l="${s.colOld}">${value(c.oldValue)}</td><td class="n" data-l="${s.colNew}">${value(c.newValue)}</td><td data-l="${s.colWhat}">${s[`what_${c.what}`]}</td></tr>\n`;
  });
  const more = changes.total > changes.observations.length
    ? html`<p class="note">${fmt(s.firstRows, { shown: formatNumber(changes.observations.length, ctx.lang), total: formatNumber(changes.total, ctx.lang) })} <a href="/releases/${o.n}/changes/observations.csv" download>${s.fullTable} (CSV)</a></p>`
    : '';
  return html`${more}<div class="tw"><table class="oc">
<thead><tr><th scope="col">${s.colUnit}</th><th scope="col">${s.colIndicator}</th><th scope="col">${s.colYear}</th><th scope="col" class="n">${s.colOld}</th><th scope="col" class="n">${s.colNew}</th><th scope="col">${s.colWhat}</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>
${more}`;
}
