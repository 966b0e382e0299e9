import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { checkSite, ConfigError, loadConfig } from './load.ts';
import { siteFileProblems } from './site-checks.ts';

const trunk = { id: 'carrier', host: 'sip.example.cn', username: 'u1', passwordFile: '/etc/deskline/secrets/trunk', dids: ['4000'] };
const errors = (raw: unknown) => checkSite(raw, {}).problems.filter((p) => p.level === 'error').map((p) => `${p.path}: ${p.message}`);

test('given a trunk DID without a number route, when checked, then the DID is named by path', (t) => {
  t.deepEqual(errors({ trunks: [trunk] }), ['trunks.0.dids.0: 4000 has no number route: calls to it would only hear the greeting (add it to ivr.routes)']);
  t.deepEqual(errors({ trunks: [trunk], ivr: { routes: [{ number: '40*', flow: 'main' }] } }), []);
});

test('given two trunks delivering one DID, or an extension named like a trunk, when checked, then both are errors', (t) => {
  const found = errors({
    trunks: [trunk, { ...trunk, id: 'other' }],
    extensions: [{ id: '1001', name: 'A' }],
    ivr: { routes: [{ number: '*', flow: 'main' }] },
  });
  t.true(found.some((e) => e.startsWith('trunks.1.dids.0: 4000 is also delivered by trunks.0')));
});

test('given agents ringing a PJSIP endpoint that is no extension of the site, when checked, then the agent is named', (t) => {
  const found = errors({
    extensions: [{ id: '1001', name: 'A' }],
    agents: [{ id: 'a', endpoint: 'PJSIP/1001' }, { id: 'b', endpoint: 'PJSIP/1009' }, { id: 'c', endpoint: 'PJSIP/555@carrier' }],
    queues: [{ id: 'q' }],
  });
  t.deepEqual(found, ['agents.1.endpoint: PJSIP/1009 is not one of this site\'s extensions (1001)']);
});

test('given a registering trunk without a user, or a password inline, when checked, then the fields are named', (t) => {
  t.deepEqual(errors({ trunks: [{ id: 'c', host: 'h.example', register: true }] }), ['trunks.0.username: a registering trunk needs the user name the carrier gave you']);
  t.true(errors({ trunks: [{ id: 'c', host: 'h.example', password: 'x' }] })[0]!.startsWith('trunks.0: Unrecognized key'));
});

test('given ARI on another host, when checked, then Asterisk HTTP is required on loopback', (t) => {
  t.deepEqual(errors({ asterisk: { ariUrl: 'http://10.0.0.2:8088/ari' } }), ["asterisk.ariUrl: Asterisk's HTTP server (ARI) must stay on loopback; 10.0.0.2 is not (provisioning binds http.conf to the ARI address)"]);
});

test('given a site error, when the service loads the file, then it refuses with file:path: message', async (t) => {
  const dir = await mkdtemp(`${tmpdir()}/site-`);
  await writeFile(`${dir}/site.yaml`, 'trunks: [{ id: carrier, host: sip.example.cn, register: false, dids: ["4000"] }]\n');
  const error = await t.throwsAsync(loadConfig(`${dir}/site.yaml`, {}), { instanceOf: ConfigError });
  t.deepEqual(error!.problems, [`${dir}/site.yaml: trunks.0.dids.0: 4000 has no number route: calls to it would only hear the greeting (add it to ivr.routes)`]);
});

test('given a trunk password file that is missing, when the disk is checked, then it is an error and a missing model a warning', async (t) => {
  const { config } = checkSite({ trunks: [{ ...trunk, passwordFile: '/nonexistent/trunk' }], ivr: { routes: [{ number: '4000', flow: 'main' }] }, speech: { zhModel: '/nonexistent/model' } }, {});
  const problems = await siteFileProblems(config!);
  t.deepEqual(problems.map((p) => [p.level, p.path]), [['error', 'trunks.0.passwordFile'], ['warning', 'speech.zhModel']]);
});
