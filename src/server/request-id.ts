import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * Every request has an id (issue #12, operations): Fastify's logger binds it to each line the
 * request writes (as `reqId`), the answer carries it in `X-Request-Id`, and a SPARQL query takes it
 * to the store, whose lines about that query (stopped at its time limit, an engine failure) carry
 * it too (src/sparql/request-store.ts). So one grep finds everything a request did.
 *
 * A proxy or client that sends its own `X-Request-Id` keeps it, so the ids of the whole chain
 * match, if it is a plain token: at most 64 characters of letters, digits, `.`, `_` and `-`.
 * Anything else (empty, longer, spaces, two headers joined by a comma, a line meant to forge
 * log lines) is replaced by a fresh UUID: it is written into our logs and headers as it is.
 */

export const REQUEST_ID_HEADER = 'X-Request-Id';

const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Fastify's `genReqId`: the client's id if it is a sane token, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/** Sends the id back on every answer: routes, the not-found handler and the error handlers alike. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
