/**
 * A Dockerfile read into stages and instructions, for the script that runs its steps without an
 * engine (verify-dockerfile.ts). Only the syntax our Dockerfile can use is understood: comments and
 * parser directives, `\` line continuations, and the instructions FROM, ARG, ENV, WORKDIR, COPY,
 * RUN, VOLUME, USER, EXPOSE, HEALTHCHECK and CMD; anything else is refused by name, so a new kind of
 * step cannot pass the check unrun. The grammar is the Dockerfile reference's
 * (https://docs.docker.com/reference/dockerfile/): an instruction is its first word, case-insensitive;
 * CMD and HEALTHCHECK's CMD have an exec form (a JSON array) and a shell form (run by `/bin/sh -c`).
 * Pure: text in, data out.
 */

export type Command = { form: 'exec'; argv: string[] } | { form: 'shell'; script: string };

export type Instruction =
  | { kind: 'FROM'; line: number; image: string; as?: string }
  | { kind: 'ARG'; line: number; name: string; value?: string }
  | { kind: 'ENV'; line: number; pairs: [string, string][] }
  | { kind: 'WORKDIR'; line: number; path: string }
  | { kind: 'COPY'; line: number; sources: string[]; dest: string; from?: string; chown?: string }
  | { kind: 'RUN'; line: number; script: string }
  | { kind: 'VOLUME'; line: number; paths: string[] }
  | { kind: 'USER'; line: number; user: string }
  | { kind: 'EXPOSE'; line: number; ports: string[] }
  | { kind: 'HEALTHCHECK'; line: number; options: Record<string, string>; command: Command }
  | { kind: 'CMD'; line: number; command: Command };

export interface Stage {
  image: string;
  name?: string;
  /** The instructions after FROM, in order. */
  steps: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM (usable in FROM lines only). */
  globalArgs: Instruction[];
  stages: Stage[];
}

export class DockerfileError extends Error {}

/** Joins `\`-continued lines and drops comments; keeps each instruction's first line number. */
function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let current: { line: number; text: string } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    // A comment line inside a continued instruction is removed, the instruction goes on.
    if (trimmed.startsWith('#')) return;
    if (!current) {
      if (trimmed === '') return;
      current = { line: i + 1, text: '' };
    }
    if (trimmed.endsWith('\\')) {
      current.text += trimmed.slice(0, -1).trimEnd() + ' ';
      return;
    }
    current.text += trimmed;
    out.push(current);
    current = undefined;
  });
  if (current) throw new DockerfileError(`line ${current.line}: the file ends inside a continued instruction`);
  return out;
}

function parseCommand(rest: string, line: number): Command {
  if (rest.startsWith('[')) {
    let argv: unknown;
    try {
      argv = JSON.parse(rest);
    } catch {
      throw new DockerfileError(`line ${line}: the exec form must be a JSON array of strings, got ${rest}`);
    }
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
      throw new DockerfileError(`line ${line}: the exec form must be a non-empty JSON array of strings`);
    }
    return { form: 'exec', argv };
  }
  return { form: 'shell', script: rest };
}

/** `--name=value` and `--name` flags at the start of an instruction's arguments, and what follows them. */
function takeFlags(rest: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let r = rest;
  // `--name=value`, or a bare `--name` (COPY --link): read so that an unknown one is refused by name.
  const flag = /^--([a-z-]+)(?:=(\S+))?\s+/;
  for (let m = flag.exec(r); m; m = flag.exec(r)) {
    flags[m[1]!] = m[2] ?? '';
    r = r.slice(m[0].length);
  }
  return { flags, rest: r };
}

/** `ENV a=1 b="two words"` or the older `ENV a 1`. */
function parseEnv(rest: string, line: number): [string, string][] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest)) {
    const m = /^(\S+)\s+(.*)$/.exec(rest);
    if (!m) throw new DockerfileError(`line ${line}: ENV needs a name and a value`);
    return [[m[1]!, m[2]!]];
  }
  const pairs: [string, string][] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)\s*/y;
  let at = 0;
  while (at < rest.length) {
    re.lastIndex = at;
    const m = re.exec(rest);
    if (!m) throw new DockerfileError(`line ${line}: cannot read ENV at "${rest.slice(at)}"`);
    const v = m[2]!;
    pairs.push([m[1]!, v.startsWith('"') ? (JSON.parse(v) as string) : v]);
    at = re.lastIndex;
  }
  return pairs;
}

function parseInstruction(line: number, text: string): Instruction {
  const m = /^(\S+)\s*(.*)$/.exec(text)!;
  const kind = m[1]!.toUpperCase();
  const rest = m[2]!.trim();
  const words = rest.split(/\s+/).filter(Boolean);
  switch (kind) {
    case 'FROM': {
      const as = /^(\S+)\s+AS\s+(\S+)$/i.exec(rest);
      return as ? { kind, line, image: as[1]!, as: as[2]! } : { kind, line, image: rest };
    }
    case 'ARG': {
      const eq = rest.indexOf('=');
      return eq < 0 ? { kind, line, name: rest } : { kind, line, name: rest.slice(0, eq), value: rest.slice(eq + 1) };
    }
    case 'ENV':
      return { kind, line, pairs: parseEnv(rest, line) };
    case 'WORKDIR':
      return { kind, line, path: rest };
    case 'COPY': {
      const { flags, rest: args } = takeFlags(rest);
      const unknown = Object.keys(flags).filter((f) => f !== 'from' && f !== 'chown');
      if (unknown.length > 0) throw new DockerfileError(`line ${line}: COPY flag(s) not understood by the check: ${unknown.join(', ')}`);
      const parts = args.split(/\s+/).filter(Boolean);
      if (parts.length < 2) throw new DockerfileError(`line ${line}: COPY needs a source and a destination`);
      return { kind, line, sources: parts.slice(0, -1), dest: parts.at(-1)!, from: flags.from, chown: flags.chown };
    }
    case 'RUN':
      if (rest.startsWith('[')) throw new DockerfileError(`line ${line}: RUN's exec form is not understood by the check`);
      return { kind, line, script: rest };
    case 'VOLUME':
      return { kind, line, paths: rest.startsWith('[') ? (JSON.parse(rest) as string[]) : words };
    case 'USER':
      return { kind, line, user: rest };
    case 'EXPOSE':
      return { kind, line, ports: words };
    case 'HEALTHCHECK': {
      const { flags, rest: after } = takeFlags(rest + ' ');
      const cmd = /^CMD\s+(.*)$/is.exec(after.trim());
      if (!cmd) throw new DockerfileError(`line ${line}: HEALTHCHECK needs CMD (HEALTHCHECK NONE is not a health check)`);
      return { kind, line, options: flags, command: parseCommand(cmd[1]!.trim(), line) };
    }
    case 'CMD':
      return { kind, line, command: parseCommand(rest, line) };
    default:
      throw new DockerfileError(`line ${line}: the check does not know how to run ${kind}; teach src/tools/verify-dockerfile.ts first`);
  }
}

export function parseDockerfile(text: string): Dockerfile {
  const result: Dockerfile = { globalArgs: [], stages: [] };
  for (const { line, text: t } of logicalLines(text)) {
    const ins = parseInstruction(line, t);
    if (ins.kind === 'FROM') result.stages.push({ image: ins.image, name: ins.as, steps: [] });
    else if (result.stages.length === 0) {
      if (ins.kind !== 'ARG') throw new DockerfileError(`line ${line}: only ARG may come before the first FROM`);
      result.globalArgs.push(ins);
    } else result.stages.at(-1)!.steps.push(ins);
  }
  if (result.stages.length === 0) throw new DockerfileError('no FROM: not a Dockerfile');
  return result;
}

/**
 * `${NAME}` and `$NAME` replaced from `vars`, as the engine does in ENV, WORKDIR, COPY, USER and
 * the like (not in RUN, whose shell expands them itself). `${NAME:-default}` is understood too.
 */
export function substitute(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, braced: string | undefined, def: string | undefined, bare: string | undefined) => {
    const v = vars[(braced ?? bare)!];
    return v !== undefined && v !== '' ? v : def ?? '';
  });
}

/**
 * `.dockerignore` as a test of a context path (relative, with `/`): whether the engine leaves it out
 * of the build context, so COPY never sees it. Only plain paths are understood (each pattern is
 * anchored at the context's root, as the engine anchors it, and covers what is under it); a
 * wildcard or an exception (`!`) is refused by name rather than matched wrongly.
 */
export function parseDockerignore(text: string): (path: string) => boolean {
  const plain: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (/[*?[\]!\\]/.test(line)) throw new DockerfileError(`.dockerignore line ${i + 1}: "${line}" has a wildcard or an exception, which the check does not understand`);
    plain.push(line.replace(/^\/+|\/+$/g, '').replace(/^\.\//, ''));
  });
  return (path) => plain.some((p) => path === p || path.startsWith(`${p}/`));
}
