/**
 * A real nginx (Debian's nginx-light, installed by .ci/install-test-deps) on a loopback port, for the
 * tests that put it in front of the service (a cache before replicas) or serve files with it (the
 * static export). Each start gets its own prefix directory: configuration, logs, pid and nginx's
 * temporary files live there, so nothing of the system's /etc/nginx or /var is used or needed, and
 * several can run side by side. Stopped by the caller (afterAll) and, whatever happens, when the
 * test process exits.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/tools/free-port.js';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? 'nginx';

export interface RunningNginx {
  port: number;
  /** The prefix directory: nginx.conf, logs/, temp dirs. */
  dir: string;
  /** The error log so far, for a failing assertion's message. */
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}


/**
 * Writes a whole nginx.conf around `http` (the body of the http block: server blocks, caches, maps)
 * and starts nginx in the foreground. `{{PORT}}` and `{{DIR}}` in `http` are replaced by the
 * port it listens on and its prefix directory. Resolves once the port answers.
 */
export async function startNginx(http: string, opts: { port?: number } = {}): Promise<RunningNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-nginx-'));
  await mkdir(join(dir, 'logs'));
  const port = opts.port ?? (await freePort());
  const conf = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/logs/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  default_type application/octet-stream;
${http.replaceAll('{{PORT}}', String(port)).replaceAll('{{DIR}}', dir)}
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const test = spawnSync(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-t'], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t refused the configuration:\n${test.stderr}\n${conf}`);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        kill();
        throw new Error(`nginx did not answer on 127.0.0.1:${port} within 10 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    dir,
    errorLog: () => readFile(join(dir, 'logs', 'error.log'), 'utf8').catch(() => ''),
    async stop() {
      process.removeListener('exit', kill);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
        if (child.exitCode === null) kill();
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
