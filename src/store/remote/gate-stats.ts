import type { LinkedDataStore } from '../store.js';

/** A remote store's fair-use gate (fair-gate.ts): places taken by queries in flight to the store, and queries waiting for one. */
export interface GateStats {
  busy: number;
  queued: number;
}

/**
 * The gate's counts behind a store, for /metrics; undefined for a store without one (the embedded
 * pool has poolStats). Read by shape, not by class, so that the app does not load the remote
 * store's module (and its HTTP client) at every start of an embedded instance.
 */
export function gateStats(store: LinkedDataStore): GateStats | undefined {
  const s = store as Partial<{ gateStats(): GateStats }>;
  return typeof s.gateStats === 'function' ? s.gateStats() : undefined;
}
