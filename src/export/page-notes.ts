import { escapeHtml } from '../html/escape.js';
import type { Lang } from '../html/models.js';
import { EXPORT_STRINGS } from './strings.js';

/**
 * What every exported page gets besides its links: the note that it is an offline copy (which
 * services need the online site, and where it is), and the pages' Content-Security-Policy as a
 * meta element, so the copy keeps it where no server sends it (a USB stick). frame-ancestors is
 * left out: a meta policy may not carry it (CSP 3, §6.1.2); the nginx configuration sends it.
 */
export function addOfflineNotes(page: string, opts: { lang: Lang; online: string; dataVersion: string; date: string; policy: string }): string {
  const s = EXPORT_STRINGS[opts.lang];
  const link = `<a href="${escapeHtml(opts.online)}">${escapeHtml(opts.online)}</a>`;
  const note = escapeHtml(s.offline)
    .replace('{version}', `<code>${escapeHtml(opts.dataVersion)}</code>`)
    .replace('{date}', escapeHtml(opts.date))
    .replace('{online}', link);
  const policy = opts.policy.split(';').map((d) => d.trim()).filter((d) => d !== '' && !d.startsWith('frame-ancestors')).join('; ');
  return page
    .replace('<meta charset="utf-8">', `<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">`)
    .replace('<main id="main">', `<main id="main">\n<p class="note" role="note">${note}</p>`);
}
