/**
 * The Dockerfile's steps, run without an engine (none can run where the tests run): each stage gets
 * a directory standing for its root file system, COPY copies from the repository (the build
 * context), RUN runs its command there with the stage's ENV and ARGs, and the runtime stage's CMD is
 * started as an unprivileged user, as the image's USER, with the image's ENV; the image's
 * HEALTHCHECK command, exactly as written, must pass against the running server and fail once it
 * is stopped. What cannot run here is said, step by step:
 *
 * - `apt-get` (the build image's compilers for better-sqlite3) is not run: the system is not an image.
 * - `npm ci` is emulated by hard-linking the installed node_modules (seconds instead of a minute of
 *   installing, and no network), after checking what makes `npm ci` refuse: package-lock.json out of
 *   step with package.json. The later `npm prune --omit=dev` runs for real on the links (it removes
 *   links, never the installed files), so the runtime is checked with production dependencies only.
 * - `mkdir -p DIR && chown USER DIR` is done on the stage's directory with the stand-in user.
 *
 * Run it as root (CI does): `npm run verify-dockerfile`. tests/dockerfile.test.ts runs it too.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Instruction, parseDockerfile, parseDockerignore, substitute } from './dockerfile.js';
import { freePort } from './free-port.js';
import { type Identity, commandArgv, durationMs, runHealthcheck, standInUser, startImage, stopImage, waitHealthy, writableBy } from './dockerfile-runtime.js';

export interface StepRecord {
  line: number;
  instruction: string;
  how: 'ran' | 'emulated' | 'not run' | 'checked';
  note: string;
  seconds: number;
}

export interface VerifyReport {
  steps: StepRecord[];
  /** What the check found wrong; empty when the Dockerfile passed. */
  problems: string[];
  user: Identity;
  serverUid: number;
  healthyAfterMs: number;
  healthRunning: number;
  healthStopped: number;
  stop: { code: number | null; signal: string | null; ms: number; killed: boolean };
  /** Pages asked of the running image and their status. */
  probes: { path: string; status: number }[];
  /** Paths outside the state directory the image's user could write (should be none). */
  writableOutsideState: string[];
  /** Whether the user could write its state directory (it must). */
  stateWritable: boolean;
  /** Files the server wrote into its state directory. */
  stateEntries: string[];
}

/** Pages that need files at run time (maps: data/geometry; the editor: node_modules; shapes/). */
export const PROBES = ['/', '/health', '/doc/district/TJ-KT-06', '/def/lg-shapes', '/catalog', '/sparql', '/sparql/assets/yasgui.min.js', '/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D', '/download/all.nq.gz', '/publish/login'];


/** What `npm ci` checks before installing: the lock's root entry names the same dependencies as package.json. */
function lockInStep(repo: string): string | undefined {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, Record<string, string> | undefined>> };
  const root = lock.packages[''] ?? {};
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const a = JSON.stringify(Object.entries(pkg[field] ?? {}).sort());
    const b = JSON.stringify(Object.entries(root[field] ?? {}).sort());
    if (a !== b) return `package-lock.json's ${field} differ from package.json's: npm ci would refuse (run npm install)`;
  }
  return undefined;
}

/** node_modules hard-linked (cp -al); its top-level files are real copies, since npm rewrites them in place. */
function linkNodeModules(from: string, to: string): void {
  const r = spawnSync('cp', ['-al', from, to]);
  if (r.status !== 0) throw new Error(`cp -al ${from} failed: ${r.stderr.toString()}`);
  for (const name of readdirSync(to)) {
    const p = join(to, name);
    if (name.startsWith('.vite')) rmSync(p, { recursive: true, force: true });
    else if (lstatSync(p).isFile()) {
      unlinkSync(p);
      copyFileSync(join(from, name), p);
    }
  }
}

export async function verifyDockerfile(opts: { repo: string; dockerfile?: string; log?: (line: string) => void }): Promise<VerifyReport> {
  if (process.getuid?.() !== 0) throw new Error('run as root: the runtime is started under an unprivileged user\'s identity (setpriv), as the image\'s USER');
  const repo = resolve(opts.repo);
  const log = opts.log ?? (() => {});
  const df = parseDockerfile(readFileSync(join(repo, opts.dockerfile ?? 'Dockerfile'), 'utf8'));
  // What the engine leaves out of the build context, COPY does not see either.
  const ignored = parseDockerignore(existsSync(join(repo, '.dockerignore')) ? readFileSync(join(repo, '.dockerignore'), 'utf8') : '');
  const tmp = mkdtempSync(join(tmpdir(), 'lg-dockerfile-'));
  chmodSync(tmp, 0o755);
  const steps: StepRecord[] = [];
  const problems: string[] = [];
  const record = (ins: Instruction, how: StepRecord['how'], note: string, t0: number) => {
    const rec = { line: ins.line, instruction: ins.kind, how, note, seconds: (Date.now() - t0) / 1000 };
    steps.push(rec);
    log(`line ${rec.line} ${rec.instruction}: ${how} (${rec.seconds.toFixed(1)} s) ${note}`);
  };
  const runtimeStage = df.stages.at(-1)!;
  const userIns = runtimeStage.steps.filter((s) => s.kind === 'USER').at(-1);
  const imageUser = userIns?.kind === 'USER' ? userIns.user.split(':')[0]! : 'root';
  if (imageUser === 'root' || imageUser === '0') problems.push('the runtime stage runs as root: it needs a USER that is not root');
  const who = standInUser(imageUser === 'root' ? 'nobody' : imageUser);
  const roots: string[] = [];
  try {
    let env: Record<string, string> = {};
    let workdir = '/';
    let root = '';
    const host = (p: string) => join(root, isAbsolute(p) ? p : join(workdir, p));
    for (const [index, stage] of df.stages.entries()) {
      root = join(tmp, `stage-${index}`);
      roots.push(root);
      mkdirSync(root);
      env = {};
      workdir = '/';
      const args: Record<string, string> = {};
      const vars = () => ({ ...args, ...env });
      for (const ins of stage.steps) {
        const t0 = Date.now();
        switch (ins.kind) {
          case 'ARG':
            args[ins.name] = ins.value !== undefined ? substitute(ins.value, vars()) : '';
            record(ins, 'emulated', `${ins.name}=${args[ins.name]}`, t0);
            break;
          case 'ENV':
            for (const [k, v] of ins.pairs) env[k] = substitute(v, vars());
            record(ins, 'emulated', ins.pairs.map(([k]) => `${k}=${env[k]}`).join(' '), t0);
            break;
          case 'WORKDIR':
            workdir = substitute(ins.path, vars());
            mkdirSync(host(workdir), { recursive: true });
            record(ins, 'emulated', workdir, t0);
            break;
          case 'COPY': {
            if (ins.chown) {
              const owner = ins.chown.split(':')[0];
              if (owner === imageUser) problems.push(`line ${ins.line}: COPY --chown=${ins.chown} gives the image's user its own code to overwrite: copy it owned by root (readable, not writable), only the state directory is the user's`);
            }
            for (const src of ins.sources) {
              const from = ins.from !== undefined ? join(roots[df.stages.findIndex((s) => s.name === ins.from)] ?? '/nonexistent', src) : join(repo, src);
              if (!existsSync(from) || (ins.from === undefined && ignored(relative(repo, from)))) {
                problems.push(`line ${ins.line}: COPY ${src}: no such file${ins.from ? ` in stage ${ins.from}` : ' in the build context (the repository less .dockerignore)'}`);
                continue;
              }
              const dest = host(substitute(ins.dest, vars()));
              const into = ins.dest.endsWith('/') || ins.sources.length > 1 ? join(dest, src.split('/').at(-1)!) : dest;
              mkdirSync(dirname(into), { recursive: true });
              // From an earlier stage, whose directory is not used again: moved, not copied (node_modules is large).
              if (ins.from !== undefined && (!existsSync(into) || (lstatSync(into).isDirectory() && readdirSync(into).length === 0))) {
                rmSync(into, { recursive: true, force: true });
                renameSync(from, into);
              }
              else cpSync(from, into, { recursive: true, filter: (p) => ins.from !== undefined || !ignored(relative(repo, p)) });
            }
            record(ins, 'emulated', `${ins.from ? `from stage ${ins.from}: ` : ''}${ins.sources.join(' ')} -> ${ins.dest}`, t0);
            break;
          }
          case 'RUN': {
            const script = ins.script.trim();
            const mkdirChown = /^mkdir -p (\S+) && chown (\S+) (\S+)$/.exec(script);
            if (/^apt-get\b/.test(script)) {
              record(ins, 'not run', 'Debian packages of the build image (compilers for better-sqlite3\'s native addon); the installed node_modules hold it built', t0);
            } else if (script === 'npm ci') {
              const wrong = lockInStep(repo);
              if (wrong) problems.push(`line ${ins.line}: ${wrong}`);
              linkNodeModules(join(repo, 'node_modules'), host('node_modules'));
              record(ins, 'emulated', 'the installed node_modules hard-linked (package-lock.json checked in step with package.json)', t0);
            } else if (mkdirChown && mkdirChown[1] === mkdirChown[3]) {
              const owner = mkdirChown[2]!.split(':')[0];
              if (owner !== imageUser) problems.push(`line ${ins.line}: ${mkdirChown[1]} is given to ${owner}, not to the image's user ${imageUser}`);
              mkdirSync(host(mkdirChown[1]!), { recursive: true });
              chownSync(host(mkdirChown[1]!), who.uid, who.gid);
              record(ins, 'emulated', `${mkdirChown[1]} made and given to ${who.name} (standing for ${owner})`, t0);
            } else {
              const r = spawnSync('/bin/sh', ['-c', script], { cwd: host(workdir), env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...vars() }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
              if (r.status !== 0) {
                problems.push(`line ${ins.line}: RUN ${script} exited ${r.status}:\n${(r.stdout + r.stderr).slice(-4000)}`);
                record(ins, 'ran', `FAILED (${r.status})`, t0);
                return finish();
              }
              record(ins, 'ran', script, t0);
            }
            break;
          }
          case 'VOLUME':
          case 'EXPOSE':
          case 'USER':
          case 'HEALTHCHECK':
          case 'CMD':
            record(ins, 'checked', 'used when the image is started, below', t0);
            break;
          case 'FROM':
            break;
        }
      }
    }
    return await runRuntime();

    function finish(): VerifyReport {
      return { steps, problems, user: who, serverUid: -1, healthyAfterMs: -1, healthRunning: -1, healthStopped: -1, stop: { code: null, signal: null, ms: 0, killed: false }, probes: [], writableOutsideState: [], stateWritable: false, stateEntries: [] };
    }

    async function runRuntime(): Promise<VerifyReport> {
      const find = <K extends Instruction['kind']>(kind: K) => runtimeStage.steps.filter((s): s is Extract<Instruction, { kind: K }> => s.kind === kind).at(-1);
      const cmd = find('CMD');
      const hc = find('HEALTHCHECK');
      const volume = find('VOLUME');
      const expose = find('EXPOSE');
      if (!cmd) problems.push('the runtime stage has no CMD');
      if (!hc) problems.push('the runtime stage has no HEALTHCHECK');
      if (cmd?.command.form === 'shell') problems.push(`line ${cmd.line}: CMD in shell form runs under /bin/sh, which does not pass docker stop's SIGTERM on: use the exec form`);
      const stateDir = env.STATE_DIR;
      if (!stateDir || !volume?.paths.includes(stateDir)) problems.push(`STATE_DIR (${stateDir}) is not a VOLUME: a new container would lose the releases and accounts`);
      if (expose && env.PORT && !expose.ports.some((p) => p.split('/')[0] === env.PORT)) problems.push(`EXPOSE ${expose.ports.join(' ')} does not include PORT ${env.PORT}`);
      if (env.HOST === undefined || env.HOST === '127.0.0.1' || env.HOST === 'localhost') problems.push('HOST is not set to all interfaces in the image: the server would answer only inside its container');
      if (!cmd || !hc || !stateDir) return finish();
      const port = await freePort();
      const hostState = host(stateDir);
      // As `docker run -e` would: a free loopback port instead of 3000 and 0.0.0.0 (tests bind loopback only).
      const runEnv: Record<string, string> = { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: '/nonexistent', ...env, PORT: String(port), HOST: '127.0.0.1', STATE_DIR: hostState };
      const cwd = host(workdir);
      const image = startImage({ who, argv: commandArgv(cmd.command), cwd, env: runEnv });
      const check = () => runHealthcheck({ who, command: hc.command, cwd, env: runEnv, timeoutMs: durationMs(hc.options.timeout, 30_000) });
      try {
        const withinMs = durationMs(hc.options['start-period'], 0) + durationMs(hc.options.interval, 30_000) * Number(hc.options.retries ?? 3);
        const healthyAfterMs = await waitHealthy(image, check, { withinMs, everyMs: 250 });
        log(`healthy after ${healthyAfterMs} ms (HEALTHCHECK ${hc.command.form === 'shell' ? hc.command.script : hc.command.argv.join(' ')})`);
        const serverUid = image.uid();
        if (serverUid === 0) problems.push('the server runs as root');
        const probes: VerifyReport['probes'] = [];
        for (const path of PROBES) {
          const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { accept: 'text/html,*/*;q=0.1' }, redirect: 'manual' });
          await res.arrayBuffer();
          probes.push({ path, status: res.status });
          if (res.status !== 200) problems.push(`GET ${path} answered ${res.status} in the image${res.status >= 500 ? `; the server's output ends:\n${image.output().slice(-3000)}` : ''}`);
        }
        const healthRunning = await check();
        const writableOutsideState = writableBy(who, cwd).filter((p) => !p.startsWith(hostState));
        if (writableOutsideState.length > 0) problems.push(`the image's user can write outside STATE_DIR: ${writableOutsideState.slice(0, 5).join(', ')}${writableOutsideState.length > 5 ? ` and ${writableOutsideState.length - 5} more` : ''}`);
        const stateWritable = writableBy(who, hostState, 0).length === 1;
        const stateEntries = readdirSync(hostState).sort();
        const stop = await stopImage(image, 10_000);
        if (stop.killed) problems.push('the server did not stop within 10 s of SIGTERM (docker stop would kill it)');
        const healthStopped = await check();
        if (healthRunning !== 0) problems.push(`the health check exited ${healthRunning} against the running server`);
        if (healthStopped === 0) problems.push('the health check passed with the server stopped');
        return { steps, problems, user: who, serverUid, healthyAfterMs, healthRunning, healthStopped, stop, probes, writableOutsideState, stateWritable, stateEntries };
      } finally {
        if (image.child.exitCode === null && image.child.signalCode === null) image.child.kill('SIGKILL');
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const repo = process.argv[2] ?? process.cwd();
  verifyDockerfile({ repo, log: (l) => console.log(l) }).then(
    (r) => {
      console.log(`health check: ${r.healthRunning} running, ${r.healthStopped} stopped; server uid ${r.serverUid} (${r.user.name}); stopped in ${r.stop.ms} ms (${r.stop.signal ?? `exit ${r.stop.code}`})`);
      for (const p of r.problems) console.error(`PROBLEM: ${p}`);
      process.exitCode = r.problems.length === 0 ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
