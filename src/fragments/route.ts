import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../server/app-context.js';
import { lazyHandler } from '../server/lazy-handler.js';
import { FRAGMENTS_PATH } from './path.js';

/**
 * `/fragments`, Triple Pattern Fragments (handler.ts). Its code, page and strings load with the
 * first request for a fragment, not at start-up (README, "Start-up").
 */
export const fragmentRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(FRAGMENTS_PATH, lazyHandler(async () => (await import('./handler.js')).fragmentHandler(ctx)));
};
