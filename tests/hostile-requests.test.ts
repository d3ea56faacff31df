import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, type Publishing, launchPublishing } from './publish-helpers.js';
import { loadRequests, percentile, watchHealth } from './hostile/run-cases.js';

/**
 * The hostile requests of issue #14 (tests/hostile/requests/), each sent to the real service on
 * 127.0.0.1 (the officials' area included) while /health is asked every 100 ms. Each case asserts
 * what its client sees; here, that the server kept answering /health all along. Latencies are
 * printed, not bounded tightly (the machine is shared): bench/hostile.ts reports them against its
 * target. The bound below only catches a server that froze for seconds.
 */
const requests = await loadRequests();

// Cases that need their own configuration get a server of their own.
const groups = new Map<string, typeof requests>();
for (const r of requests) {
  const key = JSON.stringify(r.case.env ?? {});
  groups.set(key, [...(groups.get(key) ?? []), r]);
}

describe('hostile requests', () => {
  it('the corpus holds the server cases of issue #14', () => {
    expect(requests.length).toBeGreaterThanOrEqual(5);
  });

  for (const [envKey, cases] of groups) {
    describe(`server with ${envKey}`, () => {
      let svc: Publishing;
      beforeAll(async () => {
        svc = await launchPublishing({ env: JSON.parse(envKey) as Record<string, string> });
      });
      afterAll(async () => svc?.close());

      for (const { name, case: request } of cases) {
        it(`${name} (${request.issue}): ${request.title}`, async () => {
          const watch = watchHealth(svc.url);
          // The case's own failure is the one to report; /health is checked once it has passed.
          const ran = await request.run(svc.url, BASE).then(() => undefined, (e: unknown) => e);
          const { latenciesMs, failures } = await watch.stop();
          console.log(`hostile request ${name}: /health p50 ${percentile(latenciesMs, 50).toFixed(0)} ms, max ${Math.max(0, ...latenciesMs).toFixed(0)} ms over ${latenciesMs.length} probes`);
          if (ran !== undefined) throw ran;
          expect(failures).toEqual([]);
          expect(Math.max(0, ...latenciesMs), 'the server stopped answering /health').toBeLessThan(5_000);
        }, 180_000);
      }
    });
  }
});
