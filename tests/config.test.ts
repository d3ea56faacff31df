import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

/** What an operator sees when they start the service with a given environment. */
describe('configuration (loadConfig)', () => {
  it('has the defaults README gives, the base URI derived from the port', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000, HOST: '127.0.0.1', BASE_URI: 'http://localhost:3000/', DATA_DIR: 'data', BUILD_DIR: 'build',
      QUERY_TIMEOUT_MS: 10_000, MAX_QUERY_RESULTS: 10_000, LOG_LEVEL: 'info',
    });
    expect(c.QUERY_WORKERS).toBeUndefined();
    expect(loadConfig({ PORT: '8080' }).BASE_URI).toBe('http://localhost:8080/');
  });

  it('reads numbers from strings and treats an empty variable as unset', () => {
    const c = loadConfig({ PORT: '0', QUERY_WORKERS: '4', QUERY_TIMEOUT_MS: '250', HOST: '', BASE_URI: 'https://data.example.tj/' });
    expect(c).toMatchObject({ PORT: 0, QUERY_WORKERS: 4, QUERY_TIMEOUT_MS: 250, HOST: '127.0.0.1', BASE_URI: 'https://data.example.tj/' });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT="70000": Too big: expected number to be <=65535'],
    [{ PORT: 'eighty' }, 'PORT="eighty": Invalid input: expected number'],
    [{ QUERY_WORKERS: '0' }, 'QUERY_WORKERS="0": Too small: expected number to be >=1'],
    [{ QUERY_WORKERS: '2.5' }, 'QUERY_WORKERS="2.5": Invalid input: expected int'],
    [{ QUERY_TIMEOUT_MS: '-1' }, 'QUERY_TIMEOUT_MS="-1": Too small'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud": Invalid option: expected one of "fatal"|"error"'],
    [{ BASE_URI: 'ftp://data.example.tj/' }, 'BASE_URI="ftp://data.example.tj/": Invalid URL'],
    [{ BASE_URI: 'https://data.example.tj' }, 'BASE_URI must end with "/"'],
    [{ BASE_URI: 'https://data.example.tj/?x=1/' }, 'must not have a query or a fragment'],
  ])('refuses %j, naming the variable, its value and what was expected', (env, shown) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('LG_ERR_CONFIG');
    expect((err as ConfigError).message).toContain('Invalid configuration');
    expect((err as ConfigError).message).toContain(shown);
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT="x".*\n.*LOG_LEVEL="loud"/);
  });
});
