/**
 * The Dockerfile, checked without an engine (src/tools/verify-dockerfile.ts): its build steps run in
 * a copy of the repository, its runtime started as an unprivileged user with the image's ENV, and
 * its HEALTHCHECK run as written, passing against the running server and failing once it stopped.
 * The parser's own cases first, on small Dockerfiles written here.
 */
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/project.js';
import { DockerfileError, parseDockerfile, parseDockerignore, substitute } from '../src/tools/dockerfile.js';
import { durationMs } from '../src/tools/dockerfile-runtime.js';
import { verifyDockerfile } from '../src/tools/verify-dockerfile.js';

describe('parseDockerfile', () => {
  it('reads stages, continued lines, both ENV forms, COPY flags, HEALTHCHECK options and CMD forms', () => {
    const df = parseDockerfile(`# syntax=docker/dockerfile:1
ARG BASE=node:20
FROM \${BASE} AS build
RUN apt-get update && \\
  # a comment inside the continued line is dropped
  apt-get install -y make
ENV A=1 B="two words"
ENV LEGACY some value
FROM node:20-slim
COPY --from=build --chown=node:node /app /app
HEALTHCHECK --interval=30s --timeout=5s \\
  CMD node -e "process.exit(0)"
CMD ["node", "main.js"]
`);
    expect(df.globalArgs).toEqual([{ kind: 'ARG', line: 2, name: 'BASE', value: 'node:20' }]);
    expect(df.stages.map((s) => [s.image, s.name])).toEqual([['${BASE}', 'build'], ['node:20-slim', undefined]]);
    expect(df.stages[0]!.steps).toEqual([
      { kind: 'RUN', line: 4, script: 'apt-get update && apt-get install -y make' },
      { kind: 'ENV', line: 7, pairs: [['A', '1'], ['B', 'two words']] },
      { kind: 'ENV', line: 8, pairs: [['LEGACY', 'some value']] },
    ]);
    expect(df.stages[1]!.steps).toEqual([
      { kind: 'COPY', line: 10, sources: ['/app'], dest: '/app', from: 'build', chown: 'node:node' },
      { kind: 'HEALTHCHECK', line: 11, options: { interval: '30s', timeout: '5s' }, command: { form: 'shell', script: 'node -e "process.exit(0)"' } },
      { kind: 'CMD', line: 13, command: { form: 'exec', argv: ['node', 'main.js'] } },
    ]);
  });

  it('refuses what it cannot run rather than pass it unchecked', () => {
    expect(() => parseDockerfile('FROM x\nADD https://example.org/a /a\n')).toThrow(/line 2: the check does not know how to run ADD/);
    expect(() => parseDockerfile('FROM x\nCOPY --link a b\n')).toThrow(/COPY flag\(s\) not understood by the check: link/);
    expect(() => parseDockerfile('FROM x\nHEALTHCHECK NONE\n')).toThrow(/HEALTHCHECK needs CMD/);
    expect(() => parseDockerfile('FROM x\nCMD ["node", 1]\n')).toThrow(DockerfileError);
    expect(() => parseDockerfile('FROM x\nRUN a \\')).toThrow(/ends inside a continued instruction/);
    expect(() => parseDockerfile('RUN a\n')).toThrow(/only ARG may come before the first FROM/);
  });

  it('substitutes ${NAME}, $NAME and ${NAME:-default}, and reads durations as the engine does', () => {
    expect(substitute('${A}/$B/${C:-c}/${A:-x}', { A: 'a', B: 'b' })).toBe('a/b/c/a');
    expect(durationMs('1m30s', 0)).toBe(90_000);
    expect(durationMs('500ms', 0)).toBe(500);
    expect(durationMs(undefined, 7)).toBe(7);
    expect(() => durationMs('30 s', 0)).toThrow(/not a duration/);
  });
});

describe('parseDockerignore', () => {
  it('leaves out each plain path and what is under it, anchored at the root, and refuses patterns it cannot match', () => {
    const ignored = parseDockerignore('# build output\nnode_modules\n/dist/\ntests/artifacts\n\n');
    expect(['node_modules', 'node_modules/x/y.js', 'dist', 'dist/server/main.js', 'tests/artifacts/a.png'].filter(ignored)).toHaveLength(5);
    expect(['src/dist', 'tests/a.test.ts', 'node_modules2', 'data/x.csv'].filter(ignored)).toEqual([]);
    expect(() => parseDockerignore('**/*.log\n')).toThrow(/line 1: "\*\*\/\*.log" has a wildcard or an exception/);
    expect(() => parseDockerignore('docs\n!docs/keep.md\n')).toThrow(/line 2/);
  });
});

describe("the repository's Dockerfile, run without an engine", () => {
  it('builds, serves as an unprivileged user who can write only its state, and its health check tells running from stopped', { timeout: 600_000 }, async () => {
    const report = await verifyDockerfile({ repo: PROJECT_ROOT });
    expect(report.problems).toEqual([]);
    // Every build step was run or emulated, and said which; only apt-get is not run.
    expect(report.steps.filter((s) => s.how === 'not run').map((s) => s.note)).toEqual([expect.stringContaining('Debian packages')]);
    expect(report.steps.filter((s) => s.how === 'ran').map((s) => s.note)).toEqual(['npx tsc --noEmit && npm run build', 'npm run validate && npm prune --omit=dev']);
    expect(report.serverUid).toBe(report.user.uid);
    expect(report.serverUid).not.toBe(0);
    expect(report.healthRunning).toBe(0);
    expect(report.healthStopped).not.toBe(0);
    expect(report.stop).toMatchObject({ code: 0, killed: false });
    expect(report.writableOutsideState).toEqual([]);
    expect(report.stateWritable).toBe(true);
    // The first start on an empty volume built release 1 there, as the image's user.
    expect(report.stateEntries).toEqual(expect.arrayContaining(['live.json', 'releases', 'state.db']));
    expect(report.probes.every((p) => p.status === 200)).toBe(true);
  });
});
