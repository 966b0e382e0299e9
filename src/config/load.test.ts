import test from 'ava';
import { buildConfig, ConfigError, envName, parseSiteText, settingPaths } from './load.ts';

test('given no site file, when built, then defaults are safe (loopback HTTP)', (t) => {
  const config = buildConfig({}, 'x', {});
  t.is(config.http.host, '127.0.0.1');
  t.is(config.asterisk.ariUrl, 'http://127.0.0.1:8088/ari');
  t.is(config.calls.idleTimeoutSeconds, 30);
});

test('given a bad field, when built, then the error names file, path and problem', (t) => {
  const error = t.throws(() => buildConfig({ http: { port: 'eighty' } }, 'site.yaml', {}), { instanceOf: ConfigError });
  t.regex(error!.message, /^site\.yaml: http\.port: /);
});

test('given an unknown key, when built, then it is refused by name (typos never pass silently)', (t) => {
  const error = t.throws(() => buildConfig({ asterisk: { ariURL: 'x' } }, 'site.yaml', {}), { instanceOf: ConfigError });
  t.regex(error!.message, /asterisk.*ariURL/);
});

test('given env overrides, when built, then they win and are coerced', (t) => {
  const config = buildConfig({ http: { port: 9000 } }, 's', { DESKLINE_HTTP_PORT: '9100', DESKLINE_ASTERISK_SANDBOX: 'true' });
  t.is(config.http.port, 9100);
  t.true(config.asterisk.sandbox);
});

test('given a bad env override, when built, then the error says the variable was involved', (t) => {
  const error = t.throws(() => buildConfig({}, 's', { DESKLINE_LOG_LEVEL: 'loud' }), { instanceOf: ConfigError });
  t.regex(error!.message, /DESKLINE_LOG_LEVEL.*log\.level/);
});

test('given malformed YAML, when parsed, then one line names the file', (t) => {
  const error = t.throws(() => parseSiteText('a: [1, 2', 'site.yaml'), { instanceOf: ConfigError });
  t.regex(error!.message, /^site\.yaml: not valid YAML/);
});

test('given the schema, when leaf settings are listed, then each has an env name', (t) => {
  const names = settingPaths().map(envName);
  t.true(names.includes('DESKLINE_ASTERISK_ARI_URL'));
  t.true(names.includes('DESKLINE_CALLS_IDLE_TIMEOUT_SECONDS'));
});

test('fuzz: random site objects never throw anything but ConfigError', (t) => {
  const values = [null, 0, -1, 1e9, '', 'x', true, [], {}, { a: 1 }, '127.0.0.1', 'http://x/ari'];
  const keys = settingPaths();
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let i = 0; i < 2000; i++) {
    const raw: Record<string, Record<string, unknown>> = {};
    for (let j = 0; j < 3; j++) {
      const [group, leaf] = keys[rand(keys.length)]!;
      (raw[group!] ??= {})[leaf!] = values[rand(values.length)];
    }
    try {
      buildConfig(raw, 'fuzz', {});
    } catch (error) {
      if (!(error instanceof ConfigError) || !error.problems.every((p) => p.startsWith('fuzz: '))) t.fail(String(error));
    }
  }
  t.pass();
});
