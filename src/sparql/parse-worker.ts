/**
 * A parse worker (parse-pool.ts): runs prepareQuery, which parses a client's query with sparqljs
 * and rewrites it (LIMIT, SELECT *, the probe), off the server's event loop. A 64 KiB query takes
 * sparqljs 0.2 s (VALUES rows) to 1.1 s (triple patterns); on the server's thread every other
 * request waited that long.
 *
 * Protocol: the pool posts a ParseRequest; the worker answers with a ParseReply of the same id.
 * A refusal (ProtocolError, QuerySyntaxError) crosses as data, so the client gets the same code,
 * message and position as when the parser ran on the server's thread. The messages' shapes:
 * parse-protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PARSE_WORKER_DATA, type ParseReply, type ParseRequest, refusalOf } from './parse-protocol.js';
import { prepareQuery } from './prepare-query.js';

export type { ParseReply, ParseRequest, Refusal } from './parse-protocol.js';

export function parseReply(req: ParseRequest): ParseReply {
  try {
    return { id: req.id, ok: true, prepared: prepareQuery(req.text, req.opts) };
  } catch (err) {
    return { id: req.id, ok: false, refusal: refusalOf(err) };
  }
}

if (parentPort && (workerData as Partial<typeof PARSE_WORKER_DATA> | null)?.lgParseWorker === true) {
  const port = parentPort;
  port.on('message', (req: ParseRequest) => port.postMessage(parseReply(req)));
}
