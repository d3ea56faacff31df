import { describe, expect, it } from 'vitest';
import { withSharedMaxAge } from '../src/replica/shared-max-age.js';

/** What a replica tells a shared cache (src/replica/shared-max-age.ts): s-maxage only where a shared cache may store. */
describe('withSharedMaxAge', () => {
  it.each([
    ['public, max-age=300, must-revalidate', 5, 'public, max-age=300, must-revalidate, s-maxage=5'],
    ['public, max-age=86400', 5, 'public, max-age=86400, s-maxage=5'],
    // Never longer than the browsers' own freshness.
    ['public, max-age=2', 5, 'public, max-age=2, s-maxage=2'],
    ['public, max-age=60, must-revalidate', 0, 'public, max-age=60, must-revalidate, s-maxage=0'],
    // Not for a shared cache, or already said: unchanged.
    ['no-store', 5, 'no-store'],
    ['private, max-age=60', 5, 'private, max-age=60'],
    ['public, no-store, max-age=60', 5, 'public, no-store, max-age=60'],
    ['max-age=60', 5, 'max-age=60'],
    ['public', 5, 'public'],
    ['public, max-age=60, s-maxage=10', 5, 'public, max-age=60, s-maxage=10'],
    ['Public, Max-Age=60', 5, 'Public, Max-Age=60, s-maxage=5'],
  ])('%s with %i s', (given, seconds, expected) => {
    expect(withSharedMaxAge(given, seconds)).toBe(expected);
  });
});
