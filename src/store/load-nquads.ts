/**
 * A build's N-Quads into an Oxigraph store, in pieces cut at line ends. One string of the whole file
 * is refused by V8 past 512 MiB (ERR_STRING_TOO_LONG): a 30x country's data.nq (1 GB) did not load
 * at all (docs/capacity.md). Up to a piece's size (the shipped data, 7 MB, and the 10x country,
 * 330 MB, in two) nothing changes: Oxigraph still gets a string, measured 1.7x faster to load than
 * bytes (style.md section 4).
 *
 * Oxigraph gives the blank nodes of each load() call identities of their own, so `_:b1` in two
 * pieces would become two nodes. The converter writes none; a file in several pieces that has some
 * is refused with that reason rather than loaded wrong.
 */
import type oxigraph from 'oxigraph';

/** Under V8's longest string (2^29 - 24 UTF-16 units) whatever the bytes: one byte is at most one unit. */
export const PIECE_BYTES = 256 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Consecutive views of `bytes`, each ending at a line end (the last at the end), at most `max` long unless one line is longer. */
export function linePieces(bytes: Uint8Array, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + max, bytes.length);
    if (end < bytes.length) {
      const nl = bytes.lastIndexOf(NEWLINE, end - 1);
      if (nl >= start) end = nl + 1;
      else {
        const next = bytes.indexOf(NEWLINE, end);
        end = next === -1 ? bytes.length : next + 1;
      }
    }
    out.push(bytes.subarray(start, end));
    start = end;
  }
  return out;
}

/** `_:` where a term starts: at a line's start or after a space (an IRI cannot hold a space; a literal rarely does). */
const BLANK_NODE = /(^|[ \t])_:/m;

export function loadNQuads(store: oxigraph.Store, bytes: Uint8Array, max = PIECE_BYTES): void {
  const pieces = linePieces(bytes, max);
  // TextDecoder does not read views of shared memory: each piece is copied (one piece's worth at a time).
  const text = (p: Uint8Array) => new TextDecoder().decode(p.buffer instanceof SharedArrayBuffer ? p.slice() : p);
  for (const p of pieces) {
    const t = text(p);
    // A failure leaves a half-loaded store, which the caller (a worker that fails to start) drops.
    if (pieces.length > 1 && BLANK_NODE.test(t)) {
      throw new Error(`the N-Quads file is larger than ${max} bytes and has blank nodes: loaded in pieces, a blank node in two pieces would become two nodes; name them with IRIs (skolemise) instead`);
    }
    store.load(t, { format: 'application/n-quads' });
  }
}
