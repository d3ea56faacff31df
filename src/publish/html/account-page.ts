/**
 * The official's own account: who they are in the area (name, role, area), their language for the
 * area, the password link, and their API tokens with forms to create and revoke them. A new token
 * is shown once, on the page that answers the form that created it; afterwards only its name and
 * dates are known.
 */
import { html } from '../../html/escape.js';
import { ENDONYMS } from '../../html/i18n.js';
import { LANGS, type PageContext } from '../../html/models.js';
import type { ApiToken, Official } from '../accounts.js';
import { ps } from '../strings.js';
import { action, csrfInput, renderPublishPage } from './publish-layout.js';

export interface AccountPageModel {
  csrf: string;
  tokens: ApiToken[];
  /** A token just created: its one and only showing. */
  newToken?: { label: string; token: string };
  notice?: string;
  error?: string;
}

/** `2026-05-01 14:03 UTC`: the same in every language, and unambiguous. */
function when(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function renderAccountPage(ctx: PageContext, official: Official, m: AccountPageModel): string {
  const s = ps(ctx.lang);
  const tokenRows = m.tokens.map(
    (t) => html`<tr><td>${t.label}</td><td>${when(t.createdAt)}</td><td>${t.lastUsedAt ? when(t.lastUsedAt) : s.tokenNeverUsed}</td><td><form method="post" action="${action(ctx, `/publish/account/tokens/${t.id}/revoke`)}">${csrfInput(m.csrf)}<button type="submit" aria-label="${s.tokenRevoke}: ${t.label}">${s.tokenRevoke}</button></form></td></tr>`,
  );
  return renderPublishPage(ctx, official, {
    title: s.accountTitle,
    csrf: m.csrf,
    body: html`<h1>${s.accountTitle}</h1>
${m.notice ? html`<p class="ok" role="status">${m.notice}</p>\n` : ''}${m.error ? html`<p class="err" role="alert">${m.error}</p>\n` : ''}<dl>
<dt>${s.accountName}</dt><dd>${official.name}</dd>
<dt>${s.accountRole}</dt><dd>${s[`role_${official.role}`]}</dd>
<dt>${s.accountArea}</dt><dd>${official.area ?? s.areaWhole}</dd>
<dt>${s.accountPassword}</dt><dd><a href="/publish/password">${s.accountChangePassword}</a></dd>
</dl>
<h2>${s.languageTitle}</h2>
<form class="fm" method="post" action="/publish/account/language">${csrfInput(m.csrf)}
<label for="lang" class="vh">${s.languageTitle}</label>
<select id="lang" name="lang">
<option value=""${official.lang === null ? html` selected` : ''}>${s.languageBrowser}</option>
${LANGS.map((l) => html`<option value="${l}" lang="${l}"${official.lang === l ? html` selected` : ''}>${ENDONYMS[l]}</option>\n`)}</select>
<button type="submit">${s.languageSave}</button>
</form>
<h2 id="tokens">${s.tokensTitle}</h2>
<p>${s.tokensIntro}</p>
${m.newToken ? html`<section class="ok" aria-labelledby="newtoken"><h3 id="newtoken">${s.tokenNewTitle}: ${m.newToken.label}</h3>
<code class="secret">${m.newToken.token}</code>
<p>${s.tokenNewNote}</p></section>\n` : ''}${m.tokens.length === 0 ? html`<p>${s.tokensNone}</p>` : html`<div class="tw"><table>
<thead><tr><th scope="col">${s.tokenLabel}</th><th scope="col">${s.tokenCreated}</th><th scope="col">${s.tokenLastUsed}</th><th scope="col"><span class="vh">${s.tokenActions}</span></th></tr></thead>
<tbody>${tokenRows}</tbody>
</table></div>`}
<form class="fm" method="post" action="${action(ctx, '/publish/account/tokens')}">${csrfInput(m.csrf)}
<label for="label">${s.tokenLabel}</label>
<p class="hint" id="labelhint">${s.tokenLabelHint}</p>
<input type="text" id="label" name="label" required maxlength="80" aria-describedby="labelhint">
<div><button type="submit">${s.tokenCreate}</button></div>
</form>`,
  });
}
