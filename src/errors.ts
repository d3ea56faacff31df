/**
 * One table of the errors this service reports, each with a stable code and the HTTP status a
 * route answers with (Fastify's `lib/errors.js` pattern). README.md lists the same table; a test
 * keeps the two in step.
 */
export const ERROR_CODES = {
  // Converter: problems in the input spreadsheets. The HTTP status is used when a file is uploaded.
  LG_ERR_FILE_EMPTY: { status: 400, text: 'the file is empty, or a CSV file has a header row and no data rows' },
  LG_ERR_FILE_TOO_LARGE: { status: 413, text: 'the file is larger than the size limit' },
  LG_ERR_ZIP_TOO_LARGE: { status: 413, text: 'the workbook unpacks to more than the size limit, or an entry to more than its zip header declares' },
  LG_ERR_SHEET_TOO_LARGE: { status: 413, text: 'a sheet (or the workbook) reaches beyond MAX_SHEET_ROWS, MAX_SHEET_COLUMNS or MAX_SHEET_CELLS' },
  LG_ERR_HIDDEN_SHEET: { status: 422, text: 'a hidden or very hidden sheet holds data' },
  LG_ERR_CHECK_FAILED: { status: 422, text: 'checking an uploaded workbook went past UPLOAD_CHECK_TIMEOUT_MS or UPLOAD_CHECK_MEMORY_MB and was stopped' },
  LG_ERR_NOT_A_SPREADSHEET: { status: 415, text: 'the file is not a spreadsheet of the kind its name says' },
  LG_ERR_BAD_ENCODING: { status: 400, text: 'the CSV file is not valid UTF-8' },
  LG_ERR_MISSING_COLUMN: { status: 422, text: 'a required column is missing' },
  LG_ERR_UNKNOWN_COLUMN: { status: 422, text: 'a column header is not one the layout knows' },
  LG_ERR_DUPLICATE_COLUMN: { status: 422, text: 'two columns mean the same thing' },
  LG_ERR_FORMULA: { status: 422, text: 'a cell holds a formula instead of a value' },
  LG_ERR_BAD_VALUE: { status: 422, text: 'a cell value does not have the expected form' },
  LG_ERR_TEXT_TOO_LONG: { status: 422, text: 'a text cell is longer than its column allows' },
  LG_ERR_FORMULA_TEXT: { status: 422, text: 'a text cell starts with = + - @, a tab or a carriage return, as a formula does' },
  LG_ERR_DUPLICATE_CODE: { status: 422, text: 'the same code is used twice' },
  LG_ERR_UNKNOWN_CODE: { status: 422, text: 'a code does not name a known unit' },
  LG_ERR_WRONG_LEVEL: { status: 422, text: 'a unit is linked to a unit of the wrong level' },
  LG_ERR_DUPLICATE_OBSERVATION: { status: 422, text: 'the same figure is given twice' },
  LG_ERR_NAME_MISMATCH: { status: 422, text: 'the name beside a code is not the name of that unit' },
  LG_ERR_RETIRED_CODE: { status: 422, text: 'a code names a retired unit where one that exists is needed (a parent, a successor, a figure for a year after it was retired)' },
  // Uploads (officials' own figures): a unit is named by code or by name, inside the publisher's area.
  LG_ERR_AMBIGUOUS_NAME: { status: 422, text: 'a unit name given instead of a code fits more than one unit of the area' },
  LG_ERR_OUTSIDE_AREA: { status: 403, text: 'a figure for a unit outside the area the publisher may publish for' },
  LG_ERR_SHACL: { status: 422, text: 'the graph does not conform to the SHACL shapes' },
  LG_ERR_DATA_CUBE: { status: 422, text: 'the statistics break an RDF Data Cube integrity constraint' },
  // Server and store.
  LG_ERR_NOT_FOUND: { status: 404, text: 'nothing is published at this URL' },
  LG_ERR_GONE: { status: 410, text: 'the URI named a unit that has been retired without a successor' },
  LG_ERR_QUERY_SYNTAX: { status: 400, text: 'the SPARQL query does not parse' },
  LG_ERR_QUERY_FAILED: { status: 400, text: 'the SPARQL query cannot be evaluated' },
  LG_ERR_QUERY_TIMEOUT: { status: 503, text: 'the query ran past QUERY_TIMEOUT_MS and was stopped' },
  LG_ERR_BUSY: { status: 503, text: 'too many queries at once; retry after the Retry-After header' },
  LG_ERR_STORE_UNAVAILABLE: { status: 503, text: 'the store is restarting or closed' },
  LG_ERR_REMOTE_STORE: { status: 502, text: 'the remote SPARQL store (STORE=remote) failed: it answered 5xx, refused our credentials, or sent what was not asked' },
  LG_ERR_REPLICA_READ_ONLY: { status: 421, text: 'a read-only replica (RELEASES_FROM) was asked for what only the publishing instance serves: /publish/, /releases, /report' },
  // HTTP itself: requests Node's parser refuses before any route sees them (src/http/utf8-request-target.ts).
  LG_ERR_MALFORMED_REQUEST: { status: 400, text: 'the request is not valid HTTP/1.1 (a raw UTF-8 request target is accepted as if percent-encoded)' },
  LG_ERR_RANGE_NOT_SATISFIABLE: { status: 416, text: 'a download asked for a byte range that starts past the end of the file' },
  LG_ERR_REQUEST_TIMEOUT: { status: 408, text: 'the request was not received in full within the server\'s time limit' },
  LG_ERR_HEADERS_TOO_LARGE: { status: 431, text: 'the request headers are larger than the server accepts' },
  // SPARQL endpoint: requests refused before any query runs (SPARQL 1.1 Protocol §2.1, §2.2).
  LG_ERR_QUERY_MISSING: { status: 400, text: 'no query, an empty query (or only PREFIX/BASE lines and comments), or more than one query in the request' },
  LG_ERR_READ_ONLY: { status: 403, text: 'SPARQL Update (including LOAD) is refused: the endpoint is read-only' },
  LG_ERR_SERVICE_REFUSED: { status: 403, text: 'the query uses SERVICE: the endpoint never fetches other URLs' },
  LG_ERR_QUERY_TOO_LARGE: { status: 413, text: 'the SPARQL query is longer than MAX_QUERY_BYTES (refused before it is parsed)' },
  LG_ERR_QUERY_TOO_DEEP: { status: 400, text: 'the SPARQL query nests groups, brackets or parentheses deeper than MAX_QUERY_DEPTH (refused before it is parsed)' },
  LG_ERR_METHOD_NOT_ALLOWED: { status: 405, text: 'the SPARQL endpoint answers GET, HEAD and POST only' },
  LG_ERR_GRAPH_REQUEST: { status: 400, text: 'a Graph Store Protocol read with both graph= and default, two graph= parameters, a query beside them, or a graph= that is not an absolute IRI' },
  LG_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, text: 'a POST body that is neither form-encoded nor application/sparql-query in UTF-8' },
  // Triple Pattern Fragments (/fragments).
  LG_ERR_BAD_PATTERN: { status: 400, text: 'a /fragments subject, predicate or object that is not an absolute IRI or a literal ("text"@en, "1"^^xsd:integer), a literal as subject or predicate, a parameter given twice, or a page that is not a whole number from 1 to 100000' },
  // Officials' area (/publish/): sign-in, sessions, forms and API tokens.
  LG_ERR_UNAUTHENTICATED: { status: 401, text: 'not signed in, or no valid API token (Authorization: Bearer) on a /publish/api/ request, or not METRICS_TOKEN on /metrics' },
  LG_ERR_FORBIDDEN: { status: 403, text: "the official's role (or area) does not allow this operation" },
  LG_ERR_CSRF: { status: 403, text: 'a form was sent without the CSRF token of its session, or with a wrong one' },
  LG_ERR_RATE_LIMITED: { status: 429, text: 'too many login attempts, error reports, or new CKAN API answers, from one address; retry after the Retry-After header' },
  LG_ERR_BAD_LOGIN: { status: 401, text: 'wrong user name or password (or the current password, when changing it)' },
  LG_ERR_PASSWORD_POLICY: { status: 422, text: 'the new password breaks the policy: at least 10 characters, not the user name, not the current one' },
  LG_ERR_PASSWORD_CHANGE_REQUIRED: { status: 403, text: 'the account still has its one-time password: change it first' },
  // The publishing workflow (src/publish/workflow.ts).
  LG_ERR_OWN_UPLOAD: { status: 403, text: 'a reviewer cannot decide on an upload they sent themselves' },
  LG_ERR_NOT_PENDING: { status: 409, text: 'the upload has already been decided (or was refused by the checks)' },
  LG_ERR_UNKNOWN_DATASET: { status: 422, text: 'the dataset named is not a statistics dataset of the catalog' },
  LG_ERR_BAD_REQUEST: { status: 400, text: 'a form or API request is missing a field or has one of the wrong form' },
  // Readers' error reports (src/reports/).
  LG_ERR_REPORTS_FULL: { status: 503, text: 'REPORTS_PER_DAY error reports have been received today (UTC); new ones are accepted from midnight UTC' },
  LG_ERR_INTERNAL: { status: 500, text: 'an internal error (logged; no details are sent)' },
  LG_ERR_MANIFEST: { status: 500, text: 'data/datasets.json or a layout file is invalid' },
  LG_ERR_CONFIG: { status: 500, text: 'a configuration value is invalid' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where a problem is, as data (N3.js `err.context` style), so tests and tools can read it. */
export interface Problem {
  code: ErrorCode;
  file: string;
  sheet?: string;
  /** 1-based spreadsheet row number, as the official sees it in Excel. */
  row?: number;
  /** Column letter (XLSX) or header name (CSV). */
  column?: string;
  /**
   * CSV only: the letter of the column that `column` names by its header ("G" for "Parent code"),
   * so a message can say `row 2, column G "Parent code"` as an XLSX one says `Sheet!G2`.
   */
  columnLetter?: string;
  value?: string;
  reason: string;
}

/**
 * `file › Sheet!C12: [code] reason, got "12 000"` for a workbook; a CSV has no sheet and its
 * `column` is a header, so there the place is said in words: `file row 2, column G "Parent code": …`.
 */
export function formatProblem(p: Problem): string {
  let where = p.file;
  if (p.sheet !== undefined) {
    where += ` › ${p.sheet}`;
    if (p.row !== undefined || p.column !== undefined) where += `!${p.column ?? ''}${p.row ?? ''}`;
  } else if (p.row !== undefined || p.column !== undefined) {
    const parts: string[] = [];
    if (p.row !== undefined) parts.push(`row ${p.row}`);
    if (p.column !== undefined) {
      parts.push(p.columnLetter !== undefined && p.columnLetter !== p.column
        ? `column ${p.columnLetter} ${JSON.stringify(p.column)}`
        : `column ${JSON.stringify(p.column)}`);
    }
    where += ` ${parts.join(', ')}`;
  }
  const got = p.value !== undefined ? `, got ${JSON.stringify(p.value)}` : '';
  return `${where}: [${p.code}] ${p.reason}${got}`;
}

/** Thrown by a stage that has collected problems; carries all of them, not only the first. */
export class ProblemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s) in the input:\n` + problems.map(formatProblem).join('\n'));
    this.name = 'ProblemsError';
  }
}
