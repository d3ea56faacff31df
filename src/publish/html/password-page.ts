/**
 * Choosing a new password: at the first login (the one-time password must go before anything
 * else), and whenever the official wants to. The rules are stated before the form, not only in
 * the refusal.
 */
import { html } from '../../html/escape.js';
import type { PageContext } from '../../html/models.js';
import type { Official } from '../accounts.js';
import { PASSWORD_MIN } from '../accounts.js';
import { ps } from '../strings.js';
import { action, csrfInput, renderPublishPage } from './publish-layout.js';

export interface PasswordPageModel {
  csrf: string;
  next?: string;
  error?: string;
}

export function renderPasswordPage(ctx: PageContext, official: Official, m: PasswordPageModel): string {
  const s = ps(ctx.lang);
  return renderPublishPage(ctx, official, {
    title: s.passwordTitle,
    csrf: m.csrf,
    body: html`<h1>${s.passwordTitle}</h1>
${official.mustChangePassword ? html`<p class="ok" role="status">${s.passwordMustChange}</p>\n` : ''}${m.error ? html`<p class="err" role="alert">${m.error}</p>\n` : ''}<form class="fm" method="post" action="${action(ctx, '/publish/password')}">
${csrfInput(m.csrf)}${m.next ? html`<input type="hidden" name="next" value="${m.next}">` : ''}
<input type="text" name="username" value="${official.name}" autocomplete="username" hidden>
<label for="current">${s.passwordCurrent}</label>
<input type="password" id="current" name="current" autocomplete="current-password" required autofocus>
<label for="new">${s.passwordNew}</label>
<p class="hint" id="rules">${s.passwordRules}</p>
<input type="password" id="new" name="new" autocomplete="new-password" required minlength="${PASSWORD_MIN}" aria-describedby="rules">
<label for="repeat">${s.passwordRepeat}</label>
<input type="password" id="repeat" name="repeat" autocomplete="new-password" required minlength="${PASSWORD_MIN}">
<div><button type="submit">${s.passwordSubmit}</button></div>
</form>`,
  });
}
