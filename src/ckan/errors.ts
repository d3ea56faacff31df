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
