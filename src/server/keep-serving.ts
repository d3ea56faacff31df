import type { FastifyInstance } from 'fastify';
import { warmParsePool } from '../sparql/prepare-for-client.js';

/**
 * What a listening server does next, the publisher (start.ts) and a replica (src/replica/launch.ts)
 * alike: the SPARQL parse workers start now, with the server already answering, so that the first
 * client's query does not wait for them within its time limit; SIGINT and SIGTERM close the app
 * (its stores and state) and end the process.
 */
export function keepServing(app: FastifyInstance): void {
  warmParsePool().catch((e: unknown) => app.log.warn({ err: e }, 'the SPARQL parse workers did not start; they start with the first query'));
  const stop = async (signal: string) => {
    app.log.info(`${signal}: closing`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
