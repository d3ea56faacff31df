import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

/**
 * A route's handler whose code loads with the route's first request rather than at start-up
 * (README, "Start-up"): the plugin declares its routes as before, so paths, methods, content-type
 * parsers, 404s and the order of routes are unchanged; only the modules behind the handler (page
 * templates, their strings in three languages, mappings) are read and compiled later. `load`
 * runs once; if it fails, the request fails as any handler's error does and the next one tries
 * again.
 */
export function lazyHandler<Req extends FastifyRequest = FastifyRequest>(
  load: () => Promise<(request: Req, reply: FastifyReply) => unknown>,
): RouteHandlerMethod {
  let loading: Promise<(request: Req, reply: FastifyReply) => unknown> | undefined;
  return async function handler(request: FastifyRequest, reply: FastifyReply) {
    loading ??= load();
    loading.catch(() => (loading = undefined));
    return (await loading)(request as Req, reply);
  } as RouteHandlerMethod;
}
