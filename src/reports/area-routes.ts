/**
 * Readers' error reports in the officials' area: /publish/reports (the page, with a button to mark
 * one handled) and /publish/api/reports (the same for scripts). Registered by the area's plugin
 * (src/publish/routes.ts) as a child plugin, so its sessions, CSRF protection, error handler and
 * the role check of every route (config.operation, permissions.ts) apply here as everywhere there.
 *
 * A publisher sees and closes only reports about units of their own area; another area's report
 * is a 404 to them, as another area's upload is.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Labels } from '../html/models.js';
import type { Official } from '../publish/accounts.js';
import { csrfToken, protectForm, publishPageContext, renderPublishPage, sendPage } from '../publish/auth.js';
import { canSeeArea } from '../publish/permissions.js';
import { PublishError } from '../publish/workflow.js';
import type { AppContext } from '../server/app-context.js';
import type { ErrorReport, ReportStore } from './report-store.js';
import { reportsBody } from './reports-page.js';
import { rs } from './strings.js';
import { UnitIndex } from './unit-index.js';

export interface ReportsAreaOptions {
  ctx: AppContext;
  reports: ReportStore;
}

function signedIn(request: FastifyRequest): Official {
  if (!request.official) throw new PublishError('LG_ERR_FORBIDDEN', 403, 'not signed in');
  return request.official;
}

function reportId(request: FastifyRequest): number {
  const raw = (request.params as { id: string }).id;
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new PublishError('LG_ERR_NOT_FOUND', 404, 'no such report');
  return Number(raw);
}

export const reportsArea: FastifyPluginAsync<ReportsAreaOptions> = async (area, { ctx, reports }) => {
  const units = new UnitIndex(() => ctx.build().dir);

  /** The open reports the official may see: a publisher's area only. */
  const visible = (o: Official) => reports.list({ status: 'open', ...(o.role === 'publisher' ? { area: o.area ?? '' } : {}) });

  /** Closes a report the official may see; another area's (or none) is a 404. */
  const close = (request: FastifyRequest) => {
    const o = signedIn(request);
    const id = reportId(request);
    const report = reports.get(id);
    if (!report || !canSeeArea(o, report.unitCode)) throw new PublishError('LG_ERR_NOT_FOUND', 404, 'no such report');
    return reports.close(id, { id: o.id, name: o.name }, request.ip) as { report: ErrorReport; changed: boolean };
  };

  const namesOf = async (list: ErrorReport[]): Promise<Map<string, Labels>> => {
    const known = await units.get();
    return new Map(list.map((r) => [r.unitCode, known.get(r.unitCode)?.labels ?? {}]));
  };

  area.get('/reports', { config: { operation: 'view-reports' } }, async (request, reply) => {
    const o = signedIn(request);
    const list = visible(o);
    const closed = Number((request.query as Record<string, unknown>).closed);
    const csrf = csrfToken(reply);
    const body = reportsBody({
      reports: list,
      unitNames: await namesOf(list),
      area: o.role === 'publisher' ? o.area : null,
      ...(Number.isSafeInteger(closed) && closed > 0 ? { closed } : {}),
    }, request.lang, csrf);
    return sendPage(request, reply, renderPublishPage(publishPageContext(request), o, { title: rs(request.lang).reportsTitle, body, csrf }));
  });

  area.post('/reports/:id/close', { config: { operation: 'close-report' }, preHandler: protectForm }, async (request, reply) => {
    const { report } = close(request);
    return reply.redirect(`/publish/reports?closed=${report.id}&lang=${request.lang}`, 303);
  });

  area.get('/api/reports', { config: { operation: 'view-reports' } }, async (request) => {
    const list = visible(signedIn(request));
    const names = await namesOf(list);
    return { reports: list.map((r) => ({ ...r, unitName: names.get(r.unitCode) ?? {}, links: { page: `${ctx.base}${r.page.slice(1)}`, close: `/publish/api/reports/${r.id}/close` } })) };
  });

  area.post('/api/reports/:id/close', { config: { operation: 'close-report' } }, async (request) => close(request));
};
