/**
 * `npm run users -- <command>`: the administrator's command for the officials' accounts, run on
 * the server (it opens STATE_DIR/state.db directly). The first administrator is created with it
 * too: there is no default account and no default password. Every change is written to the audit
 * log as done from 'cli' by the system user who ran it.
 *
 * Exit codes: 0 done, 1 refused (the name exists, no such account), 2 wrong usage.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { AccountError, type AccountProblem, Accounts, type Actor, type OfficialRecord, isRole, newAccountProblem } from '../publish/accounts.js';
import { AuditLog } from '../state/audit.js';
import { openStateDb } from '../state/state-db.js';

const USAGE = `usage: npm run users -- <command>

  add NAME --role publisher|reviewer|administrator [--area CODE]
      creates an account and prints its one-time password; --area (TJ-XX for a region,
      TJ-XX-NN for a district) is required for a publisher and refused for the other roles
  list
      every account: name, role, area, state, last sign-in
  disable NAME
      the account can no longer sign in; its sessions end and its API tokens stop working
  reset-password NAME
      prints a new one-time password; the account's sessions end

The state directory is STATE_DIR (default: state).`;

/** Problems with the command line itself (exit 2), as opposed to refusals by the accounts (exit 1). */
const USAGE_PROBLEMS: readonly AccountProblem[] = ['bad-name', 'bad-role', 'area-required', 'area-refused', 'bad-area'];

class UsageError extends Error {}

function actor(): Actor {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the audit row still says 'cli'.
  }
  return { userId: null, userName: `cli:${who}`, from: 'cli' };
}

function open(config: Config): { accounts: Accounts; close: () => void } {
  const db = openStateDb(config.STATE_DIR);
  return { accounts: new Accounts(db, new AuditLog(db)), close: () => db.close() };
}

function state(o: OfficialRecord): string {
  if (o.disabled) return 'disabled';
  return o.mustChangePassword ? 'one-time password' : 'active';
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { role: { type: 'string' }, area: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [command, name, ...extra] = positionals;
  if (!command) throw new UsageError('no command given');
  if (!['add', 'list', 'disable', 'reset-password'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === 'list' ? name !== undefined : name === undefined) throw new UsageError(command === 'list' ? 'list takes no name' : `${command} needs the account's NAME`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (command !== 'add' && (values.role !== undefined || values.area !== undefined)) throw new UsageError(`--role and --area belong to add, not to ${command}`);

  const area = values.area ?? null;
  if (command === 'add') {
    if (values.role === undefined) throw new UsageError('add needs --role publisher, reviewer or administrator');
    const problem = newAccountProblem(name ?? '', values.role, area);
    if (problem) throw new UsageError(problem.message);
  }

  const config = loadConfig(process.env);
  const { accounts, close } = open(config);
  try {
    if (command === 'add' && name !== undefined && values.role !== undefined && isRole(values.role)) {
      const { official, oneTimePassword } = await accounts.add(name, values.role, area, actor());
      console.log(`Added ${official.role} "${official.name}"${official.area ? ` for area ${official.area}` : ''}.`);
      console.log(`One-time password: ${oneTimePassword}`);
      console.log(`Give it to ${official.name} in person. At the first sign-in (/publish/login) they must choose their own password; until then the account can do nothing else.`);
    } else if (command === 'list') {
      const all = accounts.list();
      if (all.length === 0) {
        console.log('No accounts yet. Create the first administrator: npm run users -- add NAME --role administrator');
        return;
      }
      console.log(table([
        ['NAME', 'ROLE', 'AREA', 'STATE', 'CREATED', 'LAST SIGN-IN'],
        ...all.map((o) => [o.name, o.role, o.area ?? '-', state(o), o.createdAt.slice(0, 10), o.lastLoginAt?.slice(0, 16).replace('T', ' ') ?? '-']),
      ]));
    } else if (command === 'disable' && name !== undefined) {
      const before = accounts.byName(name);
      accounts.disable(name, actor());
      console.log(before?.disabled ? `"${before.name}" was already disabled.` : `Disabled "${before?.name ?? name}": it can no longer sign in, its sessions have ended and its API tokens no longer work.`);
    } else if (command === 'reset-password' && name !== undefined) {
      const password = await accounts.resetPassword(name, actor());
      console.log(`New one-time password for "${name.trim().toLowerCase()}": ${password}`);
      console.log('Their sessions have ended; at the next sign-in they must choose their own password. Their API tokens still work (revoke them on the account page, or disable the account).');
    }
  } finally {
    close();
  }
}

try {
  await run(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError || (e instanceof AccountError && USAGE_PROBLEMS.includes(e.problem)) || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`error: ${e.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (e instanceof ConfigError) {
    console.error(e.message);
    process.exitCode = 2;
  } else if (e instanceof AccountError) {
    console.error(`error: ${e.message}`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
