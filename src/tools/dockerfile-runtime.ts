/**
 * The image's runtime, started without an engine (for verify-dockerfile.ts): the CMD run in the
 * runtime stage's working directory with the image's ENV, under an unprivileged user's identity
 * (setpriv, as root), and the HEALTHCHECK command run exactly as written, as the engine runs it:
 * the shell form through `/bin/sh -c`, as the image's user, with the container's environment.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Command } from './dockerfile.js';

export interface Identity {
  /** The Dockerfile's USER, and the local account standing in for it. */
  name: string;
  uid: number;
  gid: number;
}

/** The local account that stands in for the image's USER: the same name if it exists here, else nobody. */
export function standInUser(name: string): Identity {
  for (const candidate of [name, 'nobody']) {
    const uid = spawnSync('id', ['-u', candidate], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', candidate], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { name: candidate, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error(`neither ${name} nor nobody exists here to run the image's processes as`);
}

/** argv run as `who`: setpriv changes identity and clears supplementary groups, as the engine's USER does. */
export function asUser(who: Identity, argv: string[]): string[] {
  return ['setpriv', `--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups', '--', ...argv];
}

export function commandArgv(command: Command): string[] {
  return command.form === 'exec' ? command.argv : ['/bin/sh', '-c', command.script];
}

/** Docker's durations: `30s`, `1m30s`, `500ms`. */
export function durationMs(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    at = re.lastIndex;
  }
  if (at !== text.length || at === 0) throw new Error(`not a duration: ${text}`);
  return total;
}

export interface RunningImage {
  child: ChildProcess;
  /** The server's output so far (stdout and stderr), for a failure's message. */
  output(): string;
  /** The effective uid of the running process, from /proc. */
  uid(): number;
}

export function startImage(opts: { who: Identity; argv: string[]; cwd: string; env: Record<string, string> }): RunningImage {
  const [cmd, ...args] = asUser(opts.who, opts.argv);
  const child = spawn(cmd!, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  return {
    child,
    output: () => out,
    uid() {
      // setpriv execs the command in its own process, so the pid is the server's.
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const line = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
      if (!line) throw new Error('no Uid line in /proc status');
      return Number(line[2]);
    },
  };
}

/** Runs the HEALTHCHECK command once; its exit code, or -1 when it outlived --timeout and was killed. */
export async function runHealthcheck(opts: { who: Identity; command: Command; cwd: string; env: Record<string, string>; timeoutMs: number }): Promise<number> {
  const [cmd, ...args] = asUser(opts.who, commandArgv(opts.command));
  const child = spawn(cmd!, args, { cwd: opts.cwd, env: opts.env, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
  clearTimeout(timer);
  return code;
}

/**
 * Polls the health check as the engine would during the start period, but every `everyMs` instead
 * of every --interval (the engine's interval would make the check wait 30 s for nothing). Resolves
 * with the milliseconds until the first success, or throws when `withinMs` passes or the server exits.
 */
export async function waitHealthy(image: RunningImage, check: () => Promise<number>, opts: { withinMs: number; everyMs: number }): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (image.child.exitCode !== null || image.child.signalCode !== null) {
      throw new Error(`the server exited (${image.child.exitCode ?? image.child.signalCode}) before it was healthy:\n${image.output()}`);
    }
    if ((await check()) === 0) return Date.now() - t0;
    if (Date.now() - t0 > opts.withinMs) throw new Error(`the health check did not pass within ${opts.withinMs} ms:\n${image.output()}`);
    await new Promise((r) => setTimeout(r, opts.everyMs));
  }
}

/** `docker stop`: SIGTERM, then SIGKILL after the grace period. Resolves with how it ended. */
export async function stopImage(image: RunningImage, graceMs: number): Promise<{ code: number | null; signal: string | null; ms: number; killed: boolean }> {
  const t0 = Date.now();
  const { child } = image;
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode, ms: 0, killed: false };
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  return { code: child.exitCode, signal: child.signalCode, ms: Date.now() - t0, killed };
}

/** The paths under `dir` that `who` may write (find -writable asks access(2) as that user). */
export function writableBy(who: Identity, dir: string, maxdepth?: number): string[] {
  const [cmd, ...args] = asUser(who, ['find', dir, ...(maxdepth !== undefined ? ['-maxdepth', String(maxdepth)] : []), '-writable']);
  const r = spawnSync(cmd!, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // find reports unreadable directories on stderr and exits 1; what it could see is still listed.
  return r.stdout.split('\n').filter(Boolean);
}
