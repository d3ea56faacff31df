/**
 * Fair use of the CKAN Action API: how much each client may have built, per minute. Building an
 * answer costs about in proportion to the packages it holds (JSON, then compressing it: a
 * package_search of all 79 packages about 13 ms of the server's one thread, a package_show or a
 * resource_show well under a millisecond), so an answer costs one token per package in it, at
 * least one. A kept answer (handler.ts, the last 128 per data version) is sent from memory as a
 * file is, and costs nothing. So a harvester that pages through the catalog and reads each
 * package gets all it needs, and one that sends new searches as fast as it can waits instead of
 * taking the server from everyone else.
 *
 * One token bucket per client address (request.ip: behind a proxy, X-Forwarded-For's when the
 * proxy is in TRUST_PROXY, as the SPARQL endpoint's fair use counts): `perMinute` tokens, refilled
 * evenly, so a client may spend a whole minute's worth at once. The cost is known only once the
 * answer is built, so a client may go into debt by one answer; it is refused until it is out of
 * debt again (with Retry-After: the seconds until it is). Buckets that have filled up again are
 * dropped, so an address costs memory only while it was recently busy.
 */
export interface BuildBudgetOptions {
  perMinute: number;
  /** Milliseconds, for tests of the clock; Date.now by default. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets looked at for dropping: when the map has grown past this many. */
const SWEEP_AT = 10_000;

export class BuildBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly now: () => number;

  constructor(private readonly options: BuildBudgetOptions) {
    this.perMs = options.perMinute / 60_000;
    this.now = options.now ?? Date.now;
  }

  /** 0 if the client may have an answer built now, else the whole seconds until it may (Retry-After). */
  wait(client: string): number {
    const tokens = this.tokens(client, this.now());
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000));
  }

  /** Takes what an answer cost (its packages, at least one) from the client's budget. */
  spend(client: string, cost: number): void {
    const now = this.now();
    this.buckets.set(client, { tokens: this.tokens(client, now) - Math.max(1, cost), at: now });
    if (this.buckets.size > SWEEP_AT) this.sweep(now);
  }

  private tokens(client: string, now: number): number {
    const b = this.buckets.get(client);
    return b ? Math.min(this.options.perMinute, b.tokens + (now - b.at) * this.perMs) : this.options.perMinute;
  }

  /** Drops the buckets that are full again: they mean the same as no bucket. */
  private sweep(now: number): void {
    for (const [client, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.options.perMinute) this.buckets.delete(client);
    }
  }
}
