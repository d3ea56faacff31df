import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, asked of the kernel and released for the caller's server to take
 * (benchmarks, tests and the Dockerfile check start servers on loopback ports).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
