/**
 * The readers' side of error reports: POST /report (the form at the end of every unit page) and
 * GET /report/thanks. Registered by the app as its own encapsulated plugin, so its form parsing and
 * rate limit apply here only.
 *
 * In order, for each form sent: the limit per client address (REPORTS_PER_HOUR, every POST counts,
 * so a bot gains nothing by sending nonsense); the honeypot (filled: answered exactly as an
 * accepted report, so a bot learns nothing, but not stored); the fields, checked on the server
 * (400 with the form again, saying which field and why); the cap per day (REPORTS_PER_DAY, 503);
 * then the report is stored and the reader sent to the thanks page (303, so a reload does not send
 * it twice).
 */
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { chooseLanguage, fmt } from '../html/i18n.js';
import { keepLanguage } from '../html/layout.js';
import type { Lang, PageContext } from '../html/models.js';
import type { ReleaseUnit } from '../releases/release-units.js';
import type { AppContext } from '../server/app-context.js';
import { checkReport, formField, honeypotFilled, unitOfPage } from './report-input.js';
import { REPORT_PATH } from './report-form.js';
import { type UnitRef, renderFormAgainPage, renderRefusedPage, renderThanksPage } from './report-pages.js';
import type { ReportStore } from './report-store.js';
import { rs } from './strings.js';
import { UnitIndex } from './unit-index.js';

export interface ReportRoutesOptions {
  ctx: AppContext;
  reports: ReportStore;
}

const HOUR_MS = 3_600_000;
/** Text of 2,000 characters percent-encoded as UTF-8 is at most about 24 KB; the rest of the form is small. */
const BODY_LIMIT = 64 * 1024;

const unitRef = (u: ReleaseUnit): UnitRef => ({ code: u.code, labels: u.labels, page: `/doc/${u.level}/${u.code}` });

export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (app, { ctx, reports }) => {
  const { config } = ctx;
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });
  await app.register(fastifyRateLimit, { global: false });
  const perAddress = app.createRateLimit({ max: config.REPORTS_PER_HOUR, timeWindow: HOUR_MS });
  const units = new UnitIndex(() => ctx.build().dir);

  const langOf = (request: FastifyRequest): Lang => {
    const q = (request.query as Record<string, unknown> | undefined)?.lang;
    return chooseLanguage(typeof q === 'string' ? q : undefined, request.headers['accept-language']);
  };
  const pageCtx = (lang: Lang, path: string): PageContext => ({ lang, base: ctx.base, path, alternates: [], dataVersion: ctx.dataVersion });
  // Answers about one reader's report: never cached, by us or anyone between.
  const send = (reply: FastifyReply, status: number, page: string, lang: Lang) =>
    reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(keepLanguage(page, lang));
  const thanks = (reply: FastifyReply, lang: Lang, page: string) =>
    reply.code(303).header('Cache-Control', 'no-store').header('Location', `${REPORT_PATH}/thanks?${new URLSearchParams({ lang, page }).toString()}`).send();

  app.post(REPORT_PATH, { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const lang = langOf(request);
    const s = rs(lang);
    const limit = await perAddress(request);
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('Retry-After', String(limit.ttlInSeconds));
      const message = fmt(s.rateLimited, { minutes: Math.max(1, Math.ceil(limit.ttlInSeconds / 60)) });
      return send(reply, 429, renderRefusedPage(pageCtx(lang, REPORT_PATH), message, 'LG_ERR_RATE_LIMITED'), lang);
    }
    const known = await units.get();
    if (honeypotFilled(request.body)) {
      request.log.info({ route: REPORT_PATH }, 'error report with the honeypot filled: answered, not stored');
      const page = formField(request.body, 'page');
      return thanks(reply, lang, unitOfPage(page, known) ? page : '');
    }
    const checked = checkReport(request.body, known);
    if (!checked.ok) {
      const unit = checked.unit ? unitRef(checked.unit) : undefined;
      return send(reply, 400, renderFormAgainPage(pageCtx(lang, REPORT_PATH), unit, checked.values, checked.problems), lang);
    }
    const stored = reports.add({ unitCode: checked.unit.code, page: checked.page, text: checked.text, contact: checked.contact, lang }, { perDay: config.REPORTS_PER_DAY });
    if (stored === 'full') {
      const now = Date.now();
      const midnight = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`) + 24 * HOUR_MS;
      reply.header('Retry-After', String(Math.ceil((midnight - now) / 1000)));
      request.log.warn({ perDay: config.REPORTS_PER_DAY }, 'error reports refused: the cap per day is reached');
      return send(reply, 503, renderRefusedPage(pageCtx(lang, REPORT_PATH), s.full, 'LG_ERR_REPORTS_FULL'), lang);
    }
    return thanks(reply, lang, checked.page);
  });

  // The page to go back to is named in the query, so it is checked like the form's: only a unit page of ours is linked.
  app.get(`${REPORT_PATH}/thanks`, async (request, reply) => {
    const lang = langOf(request);
    const page = formField(request.query, 'page');
    const unit = unitOfPage(page, await units.get());
    return send(reply, 200, renderThanksPage(pageCtx(lang, `${REPORT_PATH}/thanks`), unit ? unitRef(unit) : undefined), lang);
  });
};
