import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../src/config.js';
import { ERROR_CODES } from '../src/errors.js';
import type { StoreError } from '../src/store/store.js';
import { PROJECT_ROOT } from '../src/project.js';

const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
const tableKeys = (heading: string) => {
  const section = readme.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
};

describe('README stays in step with the code (Fastify errors.test.js style)', () => {
  it('lists every configuration key, and no other', () => {
    expect(tableKeys('Configuration').sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('lists every error code with its HTTP status, and no other', () => {
    const section = readme.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
    const rows = [...section.matchAll(/^\| `(LG_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows.sort()).toEqual(Object.entries(ERROR_CODES).map(([k, v]) => [k, v.status]).sort());
  });

  it('knows every error the store can raise, with the same status', async () => {
    const store = await import('../src/store/store.js');
    const classes = Object.values(store).filter((v) => typeof v === 'function' && v.prototype instanceof store.StoreError) as unknown as (new (...args: unknown[]) => StoreError)[];
    expect(classes.length).toBeGreaterThanOrEqual(5);
    for (const C of classes) {
      // code and statusCode are instance fields, set by the constructor.
      const instance = new C('x', undefined);
      expect(ERROR_CODES[instance.code as keyof typeof ERROR_CODES]?.status, instance.code).toBe(instance.statusCode);
    }
  });

  it('starts with the two commands, and CI runs the same test command', async () => {
    const commands = [...readme.matchAll(/^(npm ci && npm [a-z ]+?)\s+#/gm)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toHaveLength(2);
    const ci = await readFile(join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain(commands[1]);
  });
});

describe('configuration', () => {
  it('has defaults that work out of the box', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', BASE_URI: 'http://localhost:3000/', DATA_DIR: 'data' });
    expect(loadConfig({ PORT: '8080' }).BASE_URI).toBe('http://localhost:8080/');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT="abc"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ BASE_URI: 'https://data.example.tj' }, 'BASE_URI must end with "/"'],
    [{ BASE_URI: 'ftp://data.example.tj/' }, 'BASE_URI="ftp://data.example.tj/"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
    [{ QUERY_TIMEOUT_MS: '-1' }, 'QUERY_TIMEOUT_MS="-1"'],
  ])('refuses %j with a message naming it', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
