/**
 * CKAN 2.10's error answers (ckan/views/api.py `action()`): each logic exception becomes an
 * `error` object beside `help` and `success: false`, with its HTTP status. One table, so the
 * router and the tests agree on the shapes.
 *
 *   NotFound          404 {"__type": "Not Found Error", "message": "Not found"}
 *   ValidationError   409 {"__type": "Validation Error", "<field>": ["<message>", ...]}
 *   SearchQueryError  400 {"__type": "Search Query Error", "message": "Search Query is invalid: (...)"}
 *   SearchError       409 {"__type": "Search Error", "message": "Search error: (...)"}
 *   NotAuthorized     403 {"__type": "Authorization Error", "message": "Access denied: ..."}
 *
 * CKAN itself has no fair-use limit, so the 429 of ours (build-budget.ts) has no CKAN shape to
 * follow: it is the same object, `{"__type": "Rate Limit Error", "message": ...}`, with our code,
 * the seconds to wait (as Retry-After says) and the message in tg, ru and en
 * (`message_translated`, the shape ckanext-fluent gives `title_translated`), since a person may
 * read it in a harvester's log.
 *
 * An unknown action and a body that is not a JSON object are not logic errors: CKAN answers them
 * with a bare JSON string, `"Bad request - Action name not known: X"` (`_finish_bad_request`),
 * without `help` or `success`.
 */
export class CkanError extends Error {
  constructor(readonly status: number, readonly error: Record<string, unknown>) {
    super(String(error.message ?? error.__type));
  }
}

/** Python's repr() of a one-string tuple, as CKAN's `%r % e.args` prints it. */
function pyTuple(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`);
  return `(${quote}${body}${quote},)`;
}

export const notFound = () => new CkanError(404, { __type: 'Not Found Error', message: 'Not found' });

/** `fields` maps each bad parameter to its messages, as CKAN's validators name them. */
export const validationError = (fields: Record<string, string[] | string>) => new CkanError(409, { __type: 'Validation Error', ...fields });

export const searchQueryError = (reason: string) => new CkanError(400, { __type: 'Search Query Error', message: `Search Query is invalid: ${pyTuple(reason)}` });

export const searchError = (reason: string) => new CkanError(409, { __type: 'Search Error', message: `Search error: ${pyTuple(reason)}` });

export const notAuthorized = (why: string) => new CkanError(403, { __type: 'Authorization Error', message: `Access denied: ${why}` });

/** The body of CKAN's `_finish_bad_request`: a JSON string, status 400. */
export const badRequestBody = (extra: string) => `Bad request - ${extra}`;

/** More packages in answers built than CKAN_PACKAGES_PER_MINUTE for one client (build-budget.ts): 429. */
export function rateLimited(retryAfter: number, perMinute: number): CkanError {
  const message = {
    en: `Rate limit exceeded: this client has had more than ${perMinute} packages a minute in answers that had to be built (a new search counts each package it returns; answers already given to anyone are not counted). Retry after ${retryAfter} s (Retry-After).`,
    ru: `Превышен лимит: этот клиент получил больше ${perMinute} пакетов в минуту в ответах, которые пришлось строить заново (новый поиск считает каждый найденный пакет; ответы, уже выданные кому-либо, не считаются). Повторите через ${retryAfter} с (Retry-After).`,
    tg: `Маҳдудият гузашт: ин мизоҷ дар як дақиқа беш аз ${perMinute} бастаро дар ҷавобҳое гирифт, ки бояд аз нав сохта мешуданд (ҷустуҷӯи нав ҳар бастаи ёфтаро ҳисоб мекунад; ҷавобҳое, ки аллакай ба касе дода шудаанд, ҳисоб намешаванд). Пас аз ${retryAfter} сония аз нав кӯшиш кунед (Retry-After).`,
  };
  return new CkanError(429, { __type: 'Rate Limit Error', message: message.en, code: 'LG_ERR_RATE_LIMITED', retry_after: retryAfter, message_translated: message });
}
