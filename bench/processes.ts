import type { ChildProcess } from 'node:child_process';

/** Child-process plumbing shared by the server and SPARQL benchmarks. */

export { freePort } from '../src/tools/free-port.js';


/** Polls `url` until it answers 200; returns how long that took. Fails if the child exits first. */
export async function waitFor(url: string, child: ChildProcess, limitMs = 120_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode} before ${url} answered`);
    try {
      if ((await fetch(url)).ok) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer within ${limitMs} ms`);
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** `npm start` runs the server bundle (`npm run build`, src/cli/build-server.ts); so do the benchmarks. */
export { buildServer as compile } from '../src/cli/build-server.js';

/** The bundle's entry, relative to the project root: what `npm start` runs. */
export const SERVER_ENTRY = 'dist/server/main.js';
