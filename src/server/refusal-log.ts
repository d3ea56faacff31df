import type { FastifyBaseLogger, FastifyError, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../errors.js';

/**
 * How a refusal is logged (issue #14.12): a refusal is the client's doing (4xx) or the service
 * protecting itself (503: busy, a query past its time, the store restarting), not a fault of
 * ours, so it is one short line with its code and no stack; only a failure of ours (500, or an
 * error that carries no code of ours) is logged whole, stack included, at `error`.
 *
 * Under load the same refusal repeats thousands of times a second (every LG_ERR_BUSY at error
 * level with its stack was 1.15 KB: 78.8 MB of log in 60 s), so each code gets at most
 * `REFUSAL_LINES_PER_SECOND` lines a second; the rest are counted, and one line says how many
 * were left out ("suppressed K") when that second is over.
 */

/** Lines logged per code per second before the rest are only counted. */
export const REFUSAL_LINES_PER_SECOND = 5;
const WINDOW_MS = 1000;
/** Longest URL or message kept in a line: a refused 1 MB query is not logged whole. */
export const LOG_TEXT_MAX = 300;

/** Whether an error is a refusal (an expected answer) rather than a failure of ours. */
export function isRefusal(error: { code?: string | undefined }, status: number): boolean {
  if (status < 500) return true;
  // A 5xx of ours that names what happened (busy, timeout, the store restarting) is expected; a
  // 500 is not, whatever it says.
  return status !== 500 && error.code !== undefined && Object.hasOwn(ERROR_CODES, error.code);
}

/** The code a client is shown: one of ours, never an errno or a framework's (`ENOENT`, `FST_…`). */
export function publicCode(error: { code?: string | undefined }, status: number): string {
  if (error.code !== undefined && Object.hasOwn(ERROR_CODES, error.code)) return error.code;
  return STATUS_CODES.get(status) ?? (status < 500 ? 'LG_ERR_BAD_REQUEST' : 'LG_ERR_INTERNAL');
}

/** Our code for a framework's refusal, by its status (a body Fastify could not parse, a wrong type…). */
const STATUS_CODES = new Map<number, string>([
  [404, 'LG_ERR_NOT_FOUND'],
  [405, 'LG_ERR_METHOD_NOT_ALLOWED'],
  [408, 'LG_ERR_REQUEST_TIMEOUT'],
  [413, 'LG_ERR_FILE_TOO_LARGE'],
  [415, 'LG_ERR_UNSUPPORTED_MEDIA_TYPE'],
  [416, 'LG_ERR_RANGE_NOT_SATISFIABLE'],
  [429, 'LG_ERR_RATE_LIMITED'],
  [431, 'LG_ERR_HEADERS_TOO_LARGE'],
]);

const short = (text: string) => (text.length > LOG_TEXT_MAX ? `${text.slice(0, LOG_TEXT_MAX)}…` : text).replace(/\s*\n\s*/g, ' ');

interface Window {
  start: number;
  logged: number;
  suppressed: number;
  level: 'info' | 'warn';
  log: FastifyBaseLogger;
  timer?: NodeJS.Timeout;
}

/** The per-code sampling of refusal lines, one per app. */
export class RefusalLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perSecond = REFUSAL_LINES_PER_SECOND,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Logs a refusal as one line (`prefix: message`), at warn for a 503 (load, which operators
   * watch) and at info for a 4xx, or counts it when its code has had its lines this second.
   */
  refused(request: FastifyRequest, error: { code?: string | undefined; message: string }, status: number, prefix = 'request refused'): void {
    const code = publicCode(error, status);
    const level = status >= 500 ? 'warn' : 'info';
    const t = this.now();
    let w = this.windows.get(code);
    if (!w || t - w.start >= WINDOW_MS) {
      if (w) this.flush(code, w);
      // The app's logger, not the request's: the summary is about many requests, and a request's
      // logger would give it that one request's id (reqId).
      w = { start: t, logged: 0, suppressed: 0, level, log: request.server.log };
      this.windows.set(code, w);
    }
    if (w.logged >= this.perSecond) {
      w.suppressed++;
      // The summary is written when the second is over even if no other request comes.
      if (!w.timer) {
        const window = w;
        w.timer = setTimeout(() => {
          if (this.windows.get(code) === window) this.windows.delete(code);
          this.flush(code, window);
        }, Math.max(0, window.start + WINDOW_MS - t));
        w.timer.unref();
      }
      return;
    }
    w.logged++;
    request.log[level]({ code, statusCode: status, method: request.method, url: short(request.url) }, `${prefix}: ${short(error.message)}`);
  }

  /** A failure of ours: logged whole, with its stack, every time. */
  failed(request: FastifyRequest, error: FastifyError | Error): void {
    request.log.error({ err: error, request: { method: request.method, url: short(request.url) } }, 'request failed');
  }

  /** Writes the pending summaries now (the app is closing). */
  close(): void {
    for (const [code, w] of this.windows) this.flush(code, w);
    this.windows.clear();
  }

  private flush(code: string, w: Window): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
    if (w.suppressed === 0) return;
    const suppressed = w.suppressed;
    w.suppressed = 0;
    w.log[w.level]({ code, suppressed, perSecond: this.perSecond }, `suppressed ${suppressed} more ${code} refusals (at most ${this.perSecond} lines a second per code)`);
  }
}
