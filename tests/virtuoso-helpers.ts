/**
 * A real Virtuoso Open Source (Debian's virtuoso-t, installed by .ci/install-test-deps) for the
 * STORE=remote tests and benchmark: its own database directory and virtuoso.ini in a temp folder,
 * its SQL and HTTP ports free ports of 127.0.0.1, run in the foreground as our child (never the
 * system service), and a user that may update through /sparql-auth (HTTP Digest), made with
 * isql-vt. The caller stops it; a test run that dies leaves only its temp folder.
 *
 * The store's own limits are set in the ini, beside ours (QUERY_TIMEOUT_MS, MAX_QUERY_RESULTS):
 * ResultSetMaxRows and MaxSortedTopRows above MAX_QUERY_RESULTS + 1, so Virtuoso never cuts
 * silently what our bound would mark nor refuses an ordered query we bound, and MaxQueryExecutionTime above QUERY_TIMEOUT_MS, so our limit stops a query first
 * and Virtuoso's is the backstop.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/tools/free-port.js';

export interface Virtuoso {
  queryUrl: string;
  updateUrl: string;
  /** Its Graph Store HTTP Protocol endpoint, with Digest auth. */
  graphStoreUrl: string;
  user: string;
  password: string;
  /** The STORE=remote configuration that points at it (loading through the Graph Store Protocol). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface VirtuosoOptions {
  /** [SPARQL] ResultSetMaxRows (default 20,000: above MAX_QUERY_RESULTS + 1 at its default). */
  maxRows?: number;
  /** [SPARQL] MaxQueryExecutionTime in seconds (default 30: above QUERY_TIMEOUT_MS at its default). */
  maxSeconds?: number;
}

const exec = promisify(execFile);


function ini(dir: string, sqlPort: number, httpPort: number, opts: VirtuosoOptions): string {
  return `[Database]
DatabaseFile = ${dir}/virtuoso.db
ErrorLogFile = ${dir}/virtuoso.log
LockFile = ${dir}/virtuoso.lck
TransactionFile = ${dir}/virtuoso.trx
xa_persistent_file = ${dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = ${dir}/virtuoso-temp.db
TransactionFile = ${dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:${sqlPort}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad
; A SELECT with ORDER BY and LIMIT MAX_QUERY_RESULTS + 1 (10,001) is refused above this ("SR353")
MaxSortedTopRows = 100000
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = 127.0.0.1:${httpPort}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = ${opts.maxRows ?? 20_000}
MaxQueryExecutionTime = ${opts.maxSeconds ?? 30}
MaxQueryCostEstimationTime = 400
`;
}

export async function startVirtuoso(opts: VirtuosoOptions = {}): Promise<Virtuoso> {
  const dir = await mkdtemp(join(tmpdir(), 'lg-virtuoso-'));
  const [sqlPort, httpPort] = [await freePort(), await freePort()];
  await writeFile(join(dir, 'virtuoso.ini'), ini(dir, sqlPort, httpPort, opts));
  // -f: in the foreground, so it is our child and stops with us.
  const child = spawn('/usr/bin/virtuoso-t', ['-f', '-c', join(dir, 'virtuoso.ini')], { cwd: dir, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${base}/sparql`, child, dir);
    const user = 'lg_loader';
    const password = randomBytes(12).toString('hex');
    // dba's default password is dba: only on this loopback instance, which lives for one test run.
    await exec('/usr/bin/isql-vt', [`127.0.0.1:${sqlPort}`, 'dba', 'dba', `exec=DB.DBA.USER_CREATE('${user}', '${password}'); GRANT SPARQL_SELECT TO "${user}"; GRANT SPARQL_UPDATE TO "${user}";`]);
    const queryUrl = `${base}/sparql`;
    const updateUrl = `${base}/sparql-auth`;
    const graphStoreUrl = `${base}/sparql-graph-crud-auth`;
    return {
      queryUrl, updateUrl, graphStoreUrl, user, password,
      env: { STORE: 'remote', STORE_QUERY_URL: queryUrl, STORE_UPDATE_URL: updateUrl, STORE_GRAPH_STORE_URL: graphStoreUrl, STORE_USER: user, STORE_PASSWORD: password },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Virtuoso creates its database on the first start (about 15 s here), then opens HTTP. */
async function waitForHttp(url: string, child: ChildProcess, dir: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`virtuoso-t exited (${child.exitCode}): ${(await readFile(join(dir, 'virtuoso.log'), 'utf8').catch(() => '')).slice(-2000)}`);
    const ok = await fetch(`${url}?query=ASK%7B%7D`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Virtuoso did not answer at ${url} within 120 s`);
}
