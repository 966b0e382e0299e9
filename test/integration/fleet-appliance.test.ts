// The whole appliance on the fleet link: a Deskline on the sandbox Asterisk with `mqtt` set,
// reporting to a real Mosquitto (password + ACL). The fleet operator sees the retained status,
// telemetry with the appliance's own figures, a call's call-ended event, and runs signed remote
// commands (doctor, agent.state, flow.publish, diagnostics) whose results and audit entries are real.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { generateKeys, loadSigningKey, signCommand, type SigningKey } from '../../src/telemetry/command-signing.ts';
import { FleetClient, type FleetMessage } from '../../src/telemetry/mqtt-fleet-client.ts';
import { tempDir } from '../helpers/appliance.ts';
import { boxAcl, fleetAcl, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { simAgent } from '../helpers/queues.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const site = 'fleet-site';
const box = 'box-7';
const base = `deskline/${site}/${box}`;
const boxPassword = randomUUID();
const fleetPassword = randomUUID();
let broker: Mosquitto;
let key: SigningKey;
let operator: FleetClient;
const seen: FleetMessage[] = [];
const keys = await tempDir('fleet-keys-');

const { appliance, sandbox } = useDeskline(test, async () => {
  broker = await startMosquitto([
    { name: box, password: boxPassword, acl: boxAcl('deskline', site, box) },
    { name: 'fleet', password: fleetPassword, acl: fleetAcl('deskline') },
  ]);
  const pair = generateKeys('ed25519');
  await writeFile(`${keys.path}/operator.key`, pair.privateText, { mode: 0o600 });
  await writeFile(`${keys.path}/operator.pub`, pair.publicText!, { mode: 0o644 });
  await writeFile(`${keys.path}/mqtt-password`, boxPassword, { mode: 0o600 });
  key = await loadSigningKey(`${keys.path}/operator.key`);
  operator = await FleetClient.connect({ url: broker.url, username: 'fleet', password: fleetPassword });
  operator.onMessage((m) => seen.push(m));
  await operator.subscribe(`${base}/#`);
  return {
    site: { id: site, applianceId: box },
    mqtt: { url: broker.url, username: box, passwordFile: `${keys.path}/mqtt-password`, commandKey: { kind: 'ed25519', publicKeyFile: `${keys.path}/operator.pub` }, telemetrySeconds: 1, reconnectSeconds: 0.5 },
    queues: [{ id: 'support', strategy: 'longest-idle' }],
    agents: [simAgent('ann', {})],
  };
});
sandbox.cleanup(async () => {
  await operator?.close();
  await broker?.close();
  await keys.remove();
});

const json = (m: FleetMessage) => JSON.parse(m.payload.toString()) as Record<string, any>;

/** The first message seen (or arriving) that matches, within a deadline. */
async function message(what: string, match: (m: FleetMessage) => boolean, timeoutMs = 15_000): Promise<FleetMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = seen.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (saw ${seen.map((m) => m.topic).join(', ')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const send = (name: string, args: unknown) =>
  operator.send('deskline', signCommand({ id: randomUUID(), name, args, issuedAt: new Date().toISOString(), site, appliance: box }, key));

test.serial('given a running appliance with a fleet link, then the fleet sees it online and its telemetry carries calls, queues, agents and the system', async (t) => {
  const status = json(await message('status', (m) => m.topic === `${base}/status` && json(m).state === 'online'));
  t.regex(String(status.version), /^\d+\.\d+\.\d+/);
  const telemetry = json(await message('telemetry with queues', (m) => m.topic === `${base}/telemetry` && (json(m).queues?.length ?? 0) > 0));
  t.true(telemetry.ari.connected);
  t.is(telemetry.calls.active, 0);
  t.deepEqual(telemetry.queues.map((q: { id: string }) => q.id), ['support']);
  t.true(telemetry.system.rssMb > 0 && telemetry.system.diskFreeGb > 0);
  const health = await (await fetch(`${appliance().httpUrl}/healthz`)).json() as { fleet?: { connected: boolean } };
  t.true(health.fleet?.connected);
});

test.serial('given signed remote commands, when sent, then doctor, agent.state and diagnostics run on the box and agent.state is audited as the fleet', async (t) => {
  const doctor = await send('doctor', {});
  t.true(doctor.ok, JSON.stringify(doctor));
  const checks = (doctor.result as { checks: { name: string; status: string }[] }).checks;
  t.is(checks.find((c) => c.name === 'service ARI link')?.status, 'ok');
  t.is(checks.find((c) => c.name === 'fleet broker')?.status, 'ok');

  const login = await send('agent.state', { agentId: 'ann', action: 'login' });
  t.deepEqual(login.result, { agentId: 'ann', status: 'available' });
  const entries = await appliance().audit.list({ limit: 20 });
  t.truthy(entries.find((e) => e.actor === 'fleet' && e.action === 'agent.state' && e.target === 'ann'));
  const unknownAgent = await send('agent.state', { agentId: 'nobody', action: 'login' });
  t.false(unknownAgent.ok);
  const badArgs = await send('agent.state', { agentId: 'ann', action: 'dance' });
  t.is(badArgs.error?.code, 'CMD_BAD_ARGS');

  const diagnostics = await send('diagnostics', { logLines: 10 });
  t.true(diagnostics.ok);
  const bundle = diagnostics.result as { settings: { mqtt: { url: string } }; health: { site: string } };
  t.is(bundle.health.site, site);
  t.is(bundle.settings.mqtt.url, broker.url);
  t.false(JSON.stringify(bundle).includes(boxPassword), 'no secret leaves the box');
});

test.serial('given a call, when it ends, then its summary arrives as a call-ended event', async (t) => {
  const a = appliance();
  const call = await placeTestCall({ to: '4999', script: 'wait 1; hangup', callerNumber: '5550777', timeoutSeconds: 30 }, { telephony: a.telephony, calls: a.calls, records: a.records, media: sandbox().media });
  await a.calls.idle();
  const event = json(await message('call-ended', (m) => m.topic === `${base}/events` && json(m).kind === 'call-ended' && json(m).data?.callId === call.callId));
  t.is(event.data.caller, '5550777');
  t.is(event.data.dialed, '4999');
  t.true(event.data.answered);
});
