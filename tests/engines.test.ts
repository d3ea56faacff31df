import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';

/**
 * README promises that Node 20 and npm are all a fresh machine needs. `npm ci` warned EBADENGINE
 * when a dependency (cookie@2, graphql@17) wanted Node 22: package.json's overrides pin versions
 * that run on 20. Every package the lockfile installs must accept some Node 20.
 */
describe('dependencies run on the Node README names', () => {
  it('no package in package-lock.json requires a Node newer than 20', async () => {
    const lock = JSON.parse(await readFile(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: Record<string, string> | string[]; dev?: boolean }>;
    };
    const refusing = Object.entries(lock.packages)
      .map(([path, p]) => ({ path, node: !Array.isArray(p.engines) ? p.engines?.node : undefined }))
      .filter((p): p is { path: string; node: string } => p.node !== undefined && semver.validRange(p.node) !== null)
      .filter((p) => !semver.intersects(p.node, '^20.0.0'))
      .map((p) => `${p.path} wants node ${p.node}`);
    expect(refusing).toEqual([]);
  });
});
