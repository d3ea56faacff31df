/**
 * Readers of one remote store in this process never see a release half switched: the switch (one
 * SPARQL Update that empties the live graphs and fills them from the staging ones, load-release.ts)
 * waits for the queries under way, and queries that arrive meanwhile wait for the switch to end.
 *
 * Why the service must do this: Virtuoso 7.2 runs that update as one request, but a reader at its
 * default isolation (read committed) counting while it ran once saw 2,730 triples in the named
 * graphs, neither release's 2,100 nor 2,200 (tests/remote-store.test.ts, in a CI run). One gate per
 * store address, shared by every RemoteStore of the process (the one loading a release and the one
 * still serving the previous release are two objects). Other processes querying the same store are
 * not held back: README, "A remote SPARQL store", says what they may see during a switch.
 */
class SwitchGate {
  private readers = 0;
  private switching: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  /** Before a query: waits while a switch runs. Pair with leave(). */
  async enter(): Promise<void> {
    while (this.switching) await this.switching;
    this.readers++;
  }

  leave(): void {
    this.readers--;
    if (this.readers === 0 && this.drained) this.drained();
  }

  /** Runs `fn` with no query under way and none starting until it ends. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.switching) await this.switching;
    let done = () => {};
    this.switching = new Promise<void>((resolve) => (done = resolve));
    try {
      if (this.readers > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = null;
      return await fn();
    } finally {
      this.switching = null;
      done();
    }
  }
}

const gates = new Map<string, SwitchGate>();

/** The gate of the store answering at `queryUrl`. */
export function switchGate(queryUrl: string): SwitchGate {
  let gate = gates.get(queryUrl);
  if (!gate) {
    gate = new SwitchGate();
    gates.set(queryUrl, gate);
  }
  return gate;
}
