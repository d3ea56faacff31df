/**
 * The sign-in page and the logout confirmation. Both are plain forms (no JavaScript) with the CSRF
 * token of the visitor's session; `next` is kept in a hidden field, already checked to be a path
 * of the area (auth.ts safeNext).
 */
import { html } from '../../html/escape.js';
import type { PageContext } from '../../html/models.js';
import type { Official } from '../accounts.js';
import { ps } from '../strings.js';
import { action, csrfInput, renderPublishPage } from './publish-layout.js';

export interface LoginPageModel {
  csrf: string;
  next?: string;
  /** The name typed before, shown again after a refusal. */
  name?: string;
  /** Why the last attempt was refused, in the page language. */
  error?: string;
  /** A notice such as "You have logged out". */
  notice?: string;
}

export function renderLoginPage(ctx: PageContext, m: LoginPageModel): string {
  const s = ps(ctx.lang);
  return renderPublishPage(ctx, null, {
    title: s.loginTitle,
    body: html`<h1>${s.loginTitle}</h1>
${m.notice ? html`<p class="ok" role="status">${m.notice}</p>\n` : ''}${m.error ? html`<p class="err" role="alert">${m.error}</p>\n` : ''}<p>${s.loginIntro}</p>
<form class="fm" method="post" action="${action(ctx, '/publish/login')}">
${csrfInput(m.csrf)}${m.next ? html`<input type="hidden" name="next" value="${m.next}">` : ''}
<label for="name">${s.loginName}</label>
<input type="text" id="name" name="name" value="${m.name ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64"${m.name ? '' : html` autofocus`}>
<label for="password">${s.loginPassword}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${m.name ? html` autofocus` : ''}>
<div><button type="submit">${s.loginSubmit}</button></div>
</form>
<p class="note">${s.loginCookies}</p>`,
  });
}

/** Reached from pages that had no CSRF token for the logout button: asks, then posts. */
export function renderLogoutPage(ctx: PageContext, official: Official, csrf: string): string {
  const s = ps(ctx.lang);
  return renderPublishPage(ctx, official, {
    title: s.logoutTitle,
    csrf,
    body: html`<h1>${s.logoutTitle}</h1>
<form class="fm" method="post" action="${action(ctx, '/publish/logout')}">${csrfInput(csrf)}
<p>${s.logoutQuestion}</p>
<button type="submit">${s.logout}</button>
</form>`,
  });
}
