/**
 * The shell of every page of the officials' area: the site's layout (renderLayout: one inline
 * stylesheet, nothing from another origin, the language switch) with a second menu for the area,
 * who is signed in (name, role, area) and a logout button. Menu entries a role cannot use are not
 * shown (the server refuses them anyway). An official who must change the one-time password sees
 * only the logout button: nothing else would let them in.
 */
import { inlineStyle } from '../../html/csp.js';
import { type Interpolation, type SafeHtml, html } from '../../html/escape.js';
import { renderLayout } from '../../html/layout.js';
import type { PageContext } from '../../html/models.js';
import type { Official, Role } from '../accounts.js';
import { type PublishStringKey, type PublishStrings, ps } from '../strings.js';

/**
 * Forms stack their labels above full-width fields (a 390 px phone shows them whole). On a narrow
 * screen the tables marked `st` (uploads, a report's problems, a preview's figures) become one
 * block per row, each cell under the name of its column (`data-label`), so what matters (the
 * problem and what to do, the new figure) is on screen without scrolling sideways.
 */
const AREA_CSS = `.pa{background:#f2f6fb;border:1px solid #d5e2f0;padding:.3rem .7rem;margin:.6rem 0 1rem}
.pa ul{align-items:center}
.pa form{display:inline;margin:0}
.who{color:#444;font-size:.92rem;margin:.1rem 0}
.fm label{display:block;font-weight:600;margin:.7rem 0 .15rem}
.fm input[type=text],.fm input[type=password],.fm select{width:100%;max-width:24rem;box-sizing:border-box}
.fm .hint{color:#555;font-size:.9rem;margin:.1rem 0}
.fm button{margin-top:.8rem}
.err{background:#fdecea;border:1px solid #e0a39c;color:#7a1d12;padding:.4rem .7rem}
.ok{background:#e8f5e9;border:1px solid #9fcea3;padding:.4rem .7rem}
.secret{display:block;word-break:break-all;font-size:1.05rem;background:#fff3cd;border:1px solid #d9b64e;padding:.5rem}
td form{margin:0}
.stack label{font-weight:600}
.stack select,.stack input[type=number],.stack input[type=file],main textarea{font:inherit;width:100%;max-width:30rem;box-sizing:border-box}
.stack select,main textarea{padding:.25rem .4rem}
@media(max-width:40rem){.st thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.st,.st tbody,.st tr{display:block}
.st tr{border-bottom:1px solid #bbb;padding:.5rem 0}
.st td{display:block;border:0;padding:.1rem 0;text-align:left;white-space:normal}
.st td.t{font-weight:600}
.st td.t small{font-weight:400}
.st td.i{display:inline-block;margin-right:1.2rem}
.st td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}`;
/** Allowed by its hash in the pages' Content-Security-Policy (src/html/csp.ts); no style attributes. */
const AREA_STYLE = inlineStyle(AREA_CSS);

const NAV: { path: string; key: PublishStringKey; roles?: readonly Role[] }[] = [
  { path: '/publish/', key: 'navDashboard' },
  { path: '/publish/uploads', key: 'navUploads' },
  { path: '/publish/reviews', key: 'navReviews', roles: ['reviewer'] },
  { path: '/publish/reports', key: 'navReports' },
  { path: '/releases', key: 'navReleases' },
  { path: '/publish/audit', key: 'navAudit', roles: ['administrator'] },
  { path: '/publish/account', key: 'navAccount' },
];

function current(ctxPath: string, path: string): boolean {
  const trim = (p: string) => p.replace(/\/+$/, '');
  return trim(ctxPath) === trim(path) || (path !== '/publish/' && ctxPath.startsWith(`${trim(path)}/`));
}

/** "amina · publisher · TJ-KT-06" in the page language. */
export function officialLine(s: PublishStrings, official: Official): SafeHtml {
  return html`${s.signedInAs}: <strong>${official.name}</strong> · ${s[`role_${official.role}`]} · ${official.area ?? s.areaWhole}`;
}

/** A POST form's hidden CSRF field. */
export function csrfInput(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** Form actions carry the page language, so the answer to a POST is in the same language. */
export function action(ctx: PageContext, path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${ctx.lang}`;
}

function areaNav(ctx: PageContext, official: Official, csrf: string | undefined): SafeHtml {
  const s = ps(ctx.lang);
  const items = official.mustChangePassword ? [] : NAV.filter((n) => !n.roles || n.roles.includes(official.role));
  // The logout button needs a CSRF token; a page rendered without one links to the logout page,
  // which asks for confirmation with its own form.
  const logout = csrf
    ? html`<form method="post" action="${action(ctx, '/publish/logout')}">${csrfInput(csrf)}<button type="submit">${s.logout}</button></form>`
    : html`<a href="/publish/logout">${s.logout}</a>`;
  return html`<nav class="pa" aria-label="${s.areaNav}"><p class="who">${officialLine(s, official)}</p><ul>${items.map(
    (n) => html`<li><a href="${n.path}"${current(ctx.path, n.path) ? html` aria-current="page"` : ''}>${s[n.key]}</a></li>`,
  )}<li>${logout}</li></ul></nav>`;
}

export interface PublishPageOptions {
  title: string;
  body: Interpolation;
  /** A CSRF token (csrfToken(reply) in auth.ts) for the logout button. */
  csrf?: string;
}

export function renderPublishPage(ctx: PageContext, official: Official | null, opts: PublishPageOptions): string {
  const s = ps(ctx.lang);
  return renderLayout(ctx, {
    title: `${opts.title} · ${s.areaName}`,
    head: html`<meta name="robots" content="noindex">${AREA_STYLE}`,
    body: html`${official ? areaNav(ctx, official, opts.csrf) : html`<p class="who">${s.areaName}</p>`}
${opts.body}`,
  });
}

/** A refusal as a page: what happened, in the reader's language, and the way back. */
export function renderPublishError(ctx: PageContext, official: Official | null, opts: { message: string; csrf?: string }): string {
  const s = ps(ctx.lang);
  return renderPublishPage(ctx, official, {
    title: s.errorTitle,
    csrf: opts.csrf,
    body: html`<h1>${s.errorTitle}</h1>
<p class="err" role="alert">${opts.message}</p>
<p><a href="/publish/">${s.backToArea}</a></p>`,
  });
}
