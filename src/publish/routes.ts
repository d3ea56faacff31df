/**
 * The officials' area under /publish/ (design.md): the browser pages and the JSON API for scripts,
 * over the same workflow operations (workflow.ts). Registered by the app as one encapsulated plugin,
 * so its cookies, sessions, CSRF protection, body parsers and error handler apply here only.
 *
 * Every route names its operation in `config.operation`; an onRoute hook turns that into the role
 * check of permissions.ts (and refuses to register a route without one), so the authorisation
 * matrix is this table and nothing else. Pages are never cached or indexed.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import multipart from '@fastify/multipart';
import N3 from 'n3';
import { keepLanguage } from '../html/layout.js';
import type { Lang, PageContext } from '../html/models.js';
import { renderResourcePage } from '../html/resource-page.js';
import { statsToQuads } from '../convert/stats-to-quads.js';
import { graphIri } from '../rdf/mint-uri.js';
import { minted } from '../rdf/namespaces.js';
import type { AppContext } from '../server/app-context.js';
import type { Services } from '../server/services.js';
import type { Official } from './accounts.js';
import { csrfToken, isApiRequest, protectForm, registerAuth, renderPublishPage, requireOfficial } from './auth.js';
import { type ChangeRowView, type DashboardModel, type UploadListItem, auditBody, dashboardBody, draftBanner, errorBody, reviewsBody, uploadBody, uploadsBody } from './html/workflow-pages.js';
import { WORKFLOW_STRINGS } from './html/workflow-strings.js';
import { OPERATIONS, type Operation } from './permissions.js';
import { reportsArea } from '../reports/area-routes.js';
import type { PublishTools } from './publish-tools.js';
import type { FigureChange, Upload } from './uploads.js';
import { PublishError, PublishWorkflow } from './workflow.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation of permissions.ts this route performs (the officials' area only). */
    operation?: Operation;
  }
}

export interface PublishAreaOptions {
  ctx: AppContext;
  services: Services;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Registered at prefix /publish. */
export const publishArea: FastifyPluginAsync<PublishAreaOptions> = async (area, { ctx, services }) => {
  const { config, accounts } = services;
  await registerAuth(area, { config, accounts, audit: services.audit, dataVersion: () => ctx.dataVersion });
  await area.register(multipart, { attachFieldsToBody: true, limits: { fileSize: config.MAX_FILE_BYTES, files: 1, fields: 10, parts: 12 } });
  // Scripts send the workbook itself as the body (curl --data-binary @file.xlsx).
  area.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: config.MAX_FILE_BYTES }, (_req, body, done) => done(null, body));

  // The converter's parts (exceljs, the SHACL engine, shapes and vocabulary) load on first use, not
  // at start-up: most starts serve readers only.
  let loading: Promise<{ tools: PublishTools; workflow: PublishWorkflow }> | undefined;
  const parts = () => {
    loading ??= import('./publish-tools.js').then(async ({ PublishTools }) => {
      const tools = await PublishTools.create({ config, store: ctx.store, blobs: services.blobs });
      return { tools, workflow: new PublishWorkflow(services, tools, () => ctx.build()) };
    });
    loading.catch(() => (loading = undefined));
    return loading;
  };
  area.addHook('onClose', async () => {
    if (loading) await (await loading).tools.close();
  });

  area.addHook('onRoute', (route: RouteOptions) => {
    const op = (route.config as { operation?: Operation } | undefined)?.operation;
    if (!op) throw new Error(`${route.method} ${route.url}: every route of the officials' area names its operation (src/publish/permissions.ts)`);
    for (const method of [route.method].flat()) services.areaRoutes.push({ method, url: route.url, operation: op });
    const guard = requireOfficial(...OPERATIONS[op]);
    // onRequest, before the body is read: someone not signed in or without the role is refused
    // before the server buffers and parses a workbook (up to MAX_FILE_BYTES) for them, and gets
    // 401/303/403 whatever they sent, not 413. The session and request.official are ready by then
    // (registerAuth's own onRequest hooks run first); the CSRF check, which needs the body, stays a
    // preHandler of the POST forms.
    route.onRequest = [guard, ...(Array.isArray(route.onRequest) ? route.onRequest : route.onRequest ? [route.onRequest] : [])];
  });

  const official = (request: FastifyRequest): Official => {
    const o = request.official;
    if (!o) throw new PublishError('LG_ERR_FORBIDDEN', 403, 'not signed in');
    return o;
  };
  // ?lang=, else the official's own choice, else Accept-Language, else tg (registerAuth sets it).
  const langOf = (request: FastifyRequest): Lang => request.lang;
  const pageCtx = (request: FastifyRequest, path: string): PageContext => ({ lang: langOf(request), base: ctx.base, path, alternates: [], dataVersion: ctx.dataVersion });
  const sendPage = (request: FastifyRequest, reply: FastifyReply, path: string, title: string, body: Parameters<typeof renderPublishPage>[2]['body'], status = 200) => {
    const page = pageCtx(request, path);
    // With a CSRF token the menu's logout is a button that signs out at once; without one it is a
    // link to a confirmation page, a needless second step on every page of the workflow.
    const csrf = request.official ? csrfToken(reply) : undefined;
    return reply.code(status).type('text/html; charset=utf-8').send(keepLanguage(renderPublishPage(page, request.official ?? null, { title, body, ...(csrf ? { csrf } : {}) }), page.lang));
  };

  // Errors of the area: a page in the reader's language for the browser, our JSON for the API.
  area.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    let code = error.code ?? 'LG_ERR_INTERNAL';
    let status = error.statusCode ?? 500;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') [code, status] = ['LG_ERR_FILE_TOO_LARGE', 413];
    else if (code.startsWith('FST_') && status < 500) code = 'LG_ERR_BAD_REQUEST';
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    else request.log.info({ code, url: request.url }, 'request refused');
    const message = status < 500 ? error.message : 'Internal error; it has been logged.';
    if (isApiRequest(request)) return reply.code(status).send({ statusCode: status, code, message });
    const lang = langOf(request);
    return sendPage(request, reply, request.url.split('?')[0] ?? '/publish/', WORKFLOW_STRINGS[lang].errorTitle, errorBody(code, lang), status);
  });

  const names = async () => (await parts()).tools.unitNames(ctx.build().dir);
  const listItem = async (u: Upload): Promise<UploadListItem> => {
    const { tools } = await parts();
    const n = await names();
    return { id: u.id, createdAt: u.createdAt, userName: u.userName, area: u.area, areaName: n.get(u.area) ?? {}, dataset: u.dataset, datasetTitle: tools.datasetTitle(u.dataset), fileName: u.fileName, status: u.status };
  };
  const uploadsFor = (o: Official, status?: Upload['status'][]) =>
    services.uploads.list({ ...(status ? { status } : {}), ...(o.role === 'publisher' && o.area ? { areaPrefix: o.area } : {}) });

  // ---- pages ----
  area.get('/', { config: { operation: 'view-area' } }, async (request, reply) => {
    const { tools } = await parts();
    const o = official(request);
    const n = await names();
    const live = services.releases.store.live();
    const model: DashboardModel = {
      actor: o,
      areaName: o.area ? n.get(o.area) ?? null : null,
      templateAreas: o.area ? tools.templateAreas(o.area, n) : [],
      datasets: tools.datasets(),
      defaultYear: new Date().getUTCFullYear() - 1,
      uploads: await Promise.all(uploadsFor(o).slice(0, 50).map(listItem)),
      pending: o.role === 'reviewer' ? await Promise.all(services.uploads.list({ status: ['pending'] }).map(listItem)) : [],
      releases: o.role === 'administrator' ? services.releases.store.list({ completeOnly: true }).map((r) => ({ n: r.n, createdAt: r.createdAt, kind: r.kind, by: r.createdBy.name, live: r.n === live?.n })) : [],
      building: services.releases.inProgress,
    };
    return sendPage(request, reply, '/publish/', tools.strings(langOf(request)).dashboard, dashboardBody(model, langOf(request), csrfToken(reply)));
  });

  area.get('/uploads', { config: { operation: 'view-area' } }, async (request, reply) => {
    const { tools } = await parts();
    const items = await Promise.all(uploadsFor(official(request)).map(listItem));
    return sendPage(request, reply, '/publish/uploads', tools.strings(langOf(request)).uploads, uploadsBody(items, langOf(request)));
  });

  // The reviewer's menu entry "Reviews": the uploads waiting for a decision, oldest first.
  area.get('/reviews', { config: { operation: 'review' } }, async (request, reply) => {
    const { tools } = await parts();
    const items = await Promise.all(services.uploads.list({ status: ['pending'] }).reverse().map(listItem));
    return sendPage(request, reply, '/publish/reviews', tools.strings(langOf(request)).waiting, reviewsBody(items, langOf(request)));
  });

  area.post('/uploads', { config: { operation: 'upload' }, preHandler: protectForm }, async (request, reply) => {
    const { workflow } = await parts();
    const body = request.body as Record<string, { value?: unknown; filename?: string; toBuffer?: () => Promise<Buffer> } | undefined> | undefined;
    const file = body?.file;
    const dataset = typeof body?.dataset?.value === 'string' ? body.dataset.value : '';
    const areaCode = typeof body?.area?.value === 'string' && body.area.value !== '' ? body.area.value : undefined;
    if (!file?.toBuffer || !file.filename) throw new PublishError('LG_ERR_BAD_REQUEST', 400, 'no workbook in the form');
    const u = await workflow.upload(official(request), { dataset, ...(areaCode ? { area: areaCode } : {}), fileName: file.filename, bytes: await file.toBuffer(), from: request.ip });
    return reply.code(303).header('Location', `/publish/uploads/${u.id}?lang=${langOf(request)}`).send();
  });

  area.get('/uploads/:id', { config: { operation: 'view-upload' } }, async (request, reply) => {
    const { tools, workflow } = await parts();
    const o = official(request);
    const u = workflow.visibleUpload(o, idParam(request));
    const lang = langOf(request);
    const q = request.query as Record<string, unknown>;
    const t = tools.strings(lang);
    // "Approved, being published; reload" only while it is: once the release is live (or failed) the status says so.
    const flash = q.done === 'approved' && u.status === 'approved' ? t.approvedPublishing : q.done === 'rejected' ? t.rejectedDone : undefined;
    const n = await names();
    const view = (c: FigureChange): ChangeRowView => ({ unitCode: c.unitCode, unitName: n.get(c.unitCode) ?? {}, indicator: tools.indicatorLabels(c.indicator), year: c.year, old: c.old, new: c.new });
    const body = uploadBody({
      upload: u,
      areaName: n.get(u.area) ?? {},
      datasetTitle: tools.datasetTitle(u.dataset),
      report: tools.report(u.problems, lang),
      changes: u.changes ? { added: u.changes.added.map(view), changed: u.changes.changed.map(view), unchanged: u.changes.unchanged } : null,
      draftUnits: [...new Set([...(u.changes?.added ?? []), ...(u.changes?.changed ?? [])].map((c) => c.unitCode))].sort().map((code) => ({ code, name: n.get(code) ?? {} })),
      canReview: o.role === 'reviewer' && u.status === 'pending' && u.userId !== o.id,
      ownUpload: o.role === 'reviewer' && u.userId === o.id,
      ...(flash ? { flash } : {}),
    }, lang, csrfToken(reply));
    return sendPage(request, reply, `/publish/uploads/${u.id}`, `${t.upload} ${u.id}`, body);
  });

  // The unit page as it would look with the upload's figures: the live document with the
  // upload's observations put in place of the ones they replace.
  area.get('/uploads/:id/draft/:code', { config: { operation: 'view-upload' } }, async (request, reply) => {
    const { tools, workflow } = await parts();
    const u = workflow.visibleUpload(official(request), idParam(request));
    const code = (request.params as { code: string }).code;
    const unit = (await tools.units(ctx.build().dir)).find((x) => x.code === code);
    if (!unit || !u.changes || ![...u.changes.added, ...u.changes.changed].some((c) => c.unitCode === code)) throw new PublishError('LG_ERR_NOT_FOUND', 404, `upload ${u.id} changes no figure of ${code.slice(0, 40)}`);
    const ns = minted(ctx.base);
    const iri = `${ctx.base}id/${unit.level}/${unit.code}`;
    const rows = (await tools.rowsOf(u, ctx.build().dir)).filter((r) => r.unitCode === code);
    const draft = statsToQuads(rows, { ns, graph: graphIri(ns, u.dataset), dataset: u.dataset }).filter((q) => q.subject.value.startsWith(`${ctx.base}id/observation/`));
    const replaced = new Set(draft.map((q) => q.subject.value));
    const quads = [...(await ctx.describer.document(iri)).filter((q) => !replaced.has(q.subject.value)), ...draft.map((q) => N3.DataFactory.quad(q.subject, q.predicate, q.object))];
    const lang = langOf(request);
    const page = pageCtx(request, `/publish/uploads/${u.id}/draft/${code}`);
    const html = renderResourcePage({ iri, quads }, page).replace(/<main id="main">\n?/, `<main id="main">\n${draftBanner(u.id, lang).html}\n`);
    return reply.type('text/html; charset=utf-8').send(keepLanguage(html, lang));
  });

  area.post('/uploads/:id/review', { config: { operation: 'review' }, preHandler: protectForm }, async (request, reply) => {
    const { workflow } = await parts();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const decision = body.decision;
    if (decision !== 'approve' && decision !== 'reject') throw new PublishError('LG_ERR_BAD_REQUEST', 400, 'decision must be approve or reject');
    const id = idParam(request);
    const { publication } = workflow.decide(official(request), id, { approve: decision === 'approve', comment: typeof body.comment === 'string' ? body.comment : '', from: request.ip });
    publication?.catch((e: unknown) => request.log.error({ err: e, upload: id }, 'publication failed'));
    return reply.code(303).header('Location', `/publish/uploads/${id}?done=${decision === 'approve' ? 'approved' : 'rejected'}&lang=${langOf(request)}`).send();
  });

  area.get('/template', { config: { operation: 'template' } }, async (request, reply) => templateReply(request, reply));

  area.post('/rollback', { config: { operation: 'rollback' }, preHandler: protectForm }, async (request, reply) => {
    const { workflow } = await parts();
    const to = Number((request.body as Record<string, unknown> | undefined)?.to);
    if (!Number.isSafeInteger(to)) throw new PublishError('LG_ERR_BAD_REQUEST', 400, 'to must be a release number');
    const outcome = workflow.rollback(official(request), to, request.ip);
    outcome.catch((e: unknown) => request.log.error({ err: e, rollbackTo: to }, 'rollback failed'));
    return reply.code(303).header('Location', `/publish/?lang=${langOf(request)}`).send();
  });

  area.get('/audit', { config: { operation: 'audit' } }, async (request, reply) => {
    const { tools } = await parts();
    const before = Number((request.query as Record<string, unknown>).before);
    const entries = services.audit.list({ limit: 100, ...(Number.isSafeInteger(before) && before > 0 ? { before } : {}) });
    const more = entries.length === 100 ? (entries[entries.length - 1]?.id ?? null) : null;
    return sendPage(request, reply, '/publish/audit', tools.strings(langOf(request)).auditTitle, auditBody(entries, langOf(request), more));
  });

  // ---- the JSON API (Authorization: Bearer <token>; no cookies, so no CSRF) ----
  area.get('/api/uploads', { config: { operation: 'view-area' } }, async (request) => {
    const { tools } = await parts();
    return { uploads: uploadsFor(official(request)).map((u) => apiUpload(tools, u, langOf(request))) };
  });

  area.post('/api/uploads', { config: { operation: 'upload' } }, async (request, reply) => {
    const { tools, workflow } = await parts();
    const q = request.query as Record<string, unknown>;
    let bytes: Buffer | undefined;
    let fileName = typeof q.filename === 'string' ? q.filename : 'upload.xlsx';
    let dataset = typeof q.dataset === 'string' ? q.dataset : '';
    let areaCode = typeof q.area === 'string' ? q.area : undefined;
    if (Buffer.isBuffer(request.body)) bytes = request.body;
    else {
      const body = request.body as Record<string, { value?: unknown; filename?: string; toBuffer?: () => Promise<Buffer> } | undefined> | undefined;
      if (body?.file?.toBuffer) {
        bytes = await body.file.toBuffer();
        fileName = body.file.filename ?? fileName;
      }
      if (typeof body?.dataset?.value === 'string') dataset = body.dataset.value;
      if (typeof body?.area?.value === 'string') areaCode = body.area.value;
    }
    if (!bytes) throw new PublishError('LG_ERR_BAD_REQUEST', 400, `send the workbook as the body (Content-Type: ${XLSX}) or as the multipart field "file"`);
    const u = await workflow.upload(official(request), { dataset, ...(areaCode ? { area: areaCode } : {}), fileName, bytes, from: request.ip });
    return reply.code(u.status === 'refused' ? 422 : 201).header('Location', `/publish/api/uploads/${u.id}`).send(apiUpload(tools, u, langOf(request)));
  });

  area.get('/api/uploads/:id', { config: { operation: 'view-upload' } }, async (request) => {
    const { tools, workflow } = await parts();
    return apiUpload(tools, workflow.visibleUpload(official(request), idParam(request)), langOf(request));
  });

  area.post('/api/uploads/:id/review', { config: { operation: 'review' } }, async (request) => {
    const { tools, workflow } = await parts();
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.decision !== 'approve' && body.decision !== 'reject') throw new PublishError('LG_ERR_BAD_REQUEST', 400, 'decision must be "approve" or "reject"');
    const id = idParam(request);
    const { upload, publication } = workflow.decide(official(request), id, { approve: body.decision === 'approve', comment: typeof body.comment === 'string' ? body.comment : '', from: request.ip });
    publication?.catch((e: unknown) => request.log.error({ err: e, upload: id }, 'publication failed'));
    // ?wait=1: answer when the release is live (or failed), for scripts that go on with it.
    if (publication && (request.query as Record<string, unknown>).wait === '1') {
      const outcome = await publication;
      return { upload: apiUpload(tools, services.uploads.get(id) as Upload), release: outcome.release };
    }
    return { upload: apiUpload(tools, upload) };
  });

  area.get('/api/template', { config: { operation: 'template' } }, async (request, reply) => templateReply(request, reply));

  area.post('/api/rollback', { config: { operation: 'rollback' } }, async (request) => {
    const { workflow } = await parts();
    const to = Number((request.body as Record<string, unknown> | undefined)?.to);
    if (!Number.isSafeInteger(to)) throw new PublishError('LG_ERR_BAD_REQUEST', 400, 'send {"to": N}, the release to roll back to');
    const outcome = await workflow.rollback(official(request), to, request.ip);
    return { release: outcome.release, problems: outcome.problems };
  });

  area.get('/api/audit', { config: { operation: 'audit' } }, async (request) => {
    const before = Number((request.query as Record<string, unknown>).before);
    return { entries: services.audit.list({ limit: 100, ...(Number.isSafeInteger(before) && before > 0 ? { before } : {}) }) };
  });

  // Readers' error reports: a child plugin, under this one's hooks (operations, sessions, CSRF, errors).
  await area.register(reportsArea, { ctx, reports: services.reports });

  async function templateReply(request: FastifyRequest, reply: FastifyReply) {
    const { tools, workflow } = await parts();
    const o = official(request);
    const q = request.query as Record<string, unknown>;
    const areaCode = typeof q.area === 'string' && q.area !== '' ? q.area : o.area ?? '';
    const year = Number(q.year);
    const dataset = typeof q.dataset === 'string' ? q.dataset : '';
    workflow.checkArea(o, areaCode);
    workflow.checkDataset(dataset);
    if (!Number.isSafeInteger(year) || year < 1991 || year > 2100) throw new PublishError('LG_ERR_BAD_REQUEST', 400, 'year must be a year between 1991 and 2100');
    const bytes = await tools.template({ area: areaCode, year, dataset, lang: langOf(request), buildDir: ctx.build().dir });
    return reply
      .type(XLSX)
      .header('Content-Disposition', `attachment; filename="${dataset}-${areaCode}-${year}.xlsx"`)
      .send(bytes);
  }

  function apiUpload(tools: PublishTools, u: Upload, lang: Lang = 'en') {
    return { ...u, report: tools.report(u.problems, lang), links: { self: `/publish/api/uploads/${u.id}`, page: `/publish/uploads/${u.id}`, ...(u.releaseN !== null ? { release: `/releases/${u.releaseN}` } : {}) } };
  }
};

function idParam(request: FastifyRequest): number {
  const raw = (request.params as { id: string }).id;
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw new PublishError('LG_ERR_NOT_FOUND', 404, 'no such upload');
  return Number(raw);
}
