/**
 * What the benchmarks of other interfaces beside a document share (bench/fragments.ts,
 * bench/ckan.ts): requests/s of a path under autocannon (2 connections, loopback; the path may
 * change with each request), and a table row giving it as a ratio to the document measured in the
 * same run, which does not depend on the machine.
 */
import autocannon from 'autocannon';

export interface Figure {
  rps: number;
  p99: number;
  errors: number;
}

export async function measure(origin: string, path: (n: number) => string, headers: Record<string, string>, seconds: number): Promise<Figure> {
  let n = 0;
  const r = await autocannon({
    url: origin,
    connections: 2,
    duration: seconds,
    requests: [{ method: 'GET', headers, setupRequest: (req) => ({ ...req, path: path(n++) }) }],
  });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

export function ratioRow(name: string, f: Figure, doc: Figure): Record<string, string | number> {
  return { request: name, 'req/s': Math.round(f.rps), 'p99 ms': f.p99, 'ratio to document': Number((f.rps / doc.rps).toFixed(2)), errors: f.errors };
}
