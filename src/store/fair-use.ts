/**
 * The rules of fair use (issue #11) and of waiting (issue #14) that every store applies to the
 * queries it runs a few at a time: the embedded worker pool (worker-pool.ts, a query per worker
 * thread) and the remote store (remote/fair-gate.ts, a query per request in flight to the SPARQL
 * store). One place, so both modes refuse and hold back the same queries with the same errors.
 *
 * - A query that names its client (QueryOptions.client) starts only while that client holds no
 *   running query, unless one more place would still stay free for a client yet to come
 *   (mayStart); otherwise it waits behind the client's own queries.
 * - Those queries share a queue of maxQueued, at most maxQueuedPerClient of one client; beyond that
 *   StoreBusyError (queueFull). The site's own look-ups (no client) are never refused for load.
 * - A client's query waiting with too little of its time left to start (minRunMs) is refused with
 *   a Retry-After (tooLateError), its time counted from its arrival.
 */
import { StoreBusyError } from './store.js';

/** Queue bounds of the client queries (WorkerStoreOptions, RemoteStoreOptions). */
export interface QueueLimits {
  /** Queries naming a client waiting before new ones are refused (default 16). */
  maxQueued?: number;
  /** Of those, the queries one client may have waiting (default: half of maxQueued, at least 1). */
  maxQueuedPerClient?: number;
}

/** A running or waiting query, as far as the rules see it. */
export interface Held {
  /** QueryOptions.client: undefined for the site's own look-ups. */
  client: string | undefined;
  /** When its time is up (performance.now()); undefined for a site's look-up not yet started. */
  deadline?: number;
}

/**
 * Whether a query of `client` may start now on one of `free` free places, `running` being the
 * queries running: always for the site's own look-ups (if a place is free) and for a client
 * holding none; a client that already holds one may take another only if one more stays free.
 */
export function mayStart(client: string | undefined, running: Iterable<Held>, free: number): boolean {
  if (client === undefined) return free >= 1;
  for (const r of running) if (r.client === client) return free >= 2;
  return free >= 1;
}

/**
 * The bounds of QueueLimits, for SPARQL clients only. The site's own look-ups (no client) are never
 * refused for load: a crawler's 400 connections over cold documents got 503 for 61% of them under
 * a bound of their own (issue #11). They wait in the one FIFO queue, so they neither overtake the
 * SPARQL queries before them nor are overtaken; their number is bounded by the requests the server
 * holds open, each of which waits for its answer anyway.
 */
export function queueFull(client: string | undefined, queue: readonly Held[], limits: QueueLimits): boolean {
  if (client === undefined) return false;
  const max = limits.maxQueued ?? 16;
  const perClient = Math.min(max, limits.maxQueuedPerClient ?? Math.max(1, Math.floor(max / 2)));
  const keyed = queue.filter((j) => j.client !== undefined);
  return keyed.length >= max || keyed.filter((j) => j.client === client).length >= perClient;
}

/**
 * The least time left for which a waiting client query is still started: a tenth of its limit, at
 * most a second. Started with less, a query slower than that is stopped at once (in the embedded
 * store that costs a worker reloading the data); refused, its client learns when to come back.
 */
export function minRunMs(timeoutMs: number): number {
  return Math.min(1000, timeoutMs / 10);
}

/**
 * Seconds until a place is certainly free: the earliest deadline among the running queries (each
 * is stopped by then at the latest), at least one.
 */
export function retryAfterSeconds(running: Iterable<Held>): number {
  let soonest = Infinity;
  for (const r of running) if (r.deadline !== undefined) soonest = Math.min(soonest, r.deadline);
  const ms = soonest === Infinity ? 1000 : soonest - performance.now();
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The refusal of a queued client query that can no longer start in time (see minRunMs). */
export function tooLateError(timeoutMs: number, retryAfter: number, place: string): StoreBusyError {
  return new StoreBusyError(retryAfter, `the query service is busy: the query waited for ${place} for nearly all of its time limit of ${timeoutMs} ms (QUERY_TIMEOUT_MS, counted from its arrival) and was not started; try again after Retry-After`);
}
