// The technician's fleet tools: make command keys, send a signed command to a box and wait for
// its result, watch a box's (or a site's) status, telemetry and events.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateKeys, loadSigningKey, signCommand } from '../../telemetry/command-signing.ts';
import { FleetError } from '../../telemetry/errors.ts';
import { FleetClient } from '../../telemetry/mqtt-fleet-client.ts';
import { UsageError, type Command } from './command.ts';

const brokerOptions = {
  broker: { type: 'string' },
  username: { type: 'string' },
  'password-file': { type: 'string' },
  'ca-file': { type: 'string' },
  prefix: { type: 'string', default: 'deskline' },
} as const;

const brokerHelp = `      --broker URL          fleet broker, mqtt://host:port or mqtts://host:port
      --username USER       broker user (a fleet operator's, allowed to write cmd/)
      --password-file FILE  file holding that user's password
      --ca-file FILE        PEM CA of the broker's certificate (mqtts://)
      --prefix PREFIX       first topic level (the boxes' mqtt.topicPrefix); default: deskline`;

async function connectBroker(values: { broker?: string; username?: string; 'password-file'?: string; 'ca-file'?: string }): Promise<FleetClient> {
  if (!values.broker) throw new UsageError('--broker URL is required');
  if (!/^mqtts?:\/\//.test(values.broker)) throw new UsageError('--broker must be mqtt://host:port or mqtts://host:port');
  const password = values['password-file'] ? (await readFile(values['password-file'], 'utf8')).trim() : undefined;
  const ca = values['ca-file'] ? await readFile(values['ca-file']) : undefined;
  return FleetClient.connect({ url: values.broker, ...(values.username ? { username: values.username } : {}), ...(password !== undefined ? { password } : {}), ...(ca ? { ca } : {}) });
}

/** FleetErrors are expected failures (no broker, no answer, bad key file): one line, no stack. */
async function reporting(name: string, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof FleetError)) throw error;
    console.error(`deskline ${name}: ${error.message}`);
    return error.code === 'FLEET_KEY_INVALID' || error.code === 'FLEET_KEY_UNREADABLE' || error.code === 'FLEET_FILE_MODE' ? 1 : 3;
  }
}

export const fleetKeygenCommand: Command = {
  name: 'fleet keygen',
  summary: 'make a key that signs remote commands (Ed25519 pair or HMAC secret)',
  help: `Usage: deskline fleet keygen [--hmac] --out FILE

Ed25519 (default): writes the private key to FILE (mode 0600; keep it with the fleet operator,
never on a box) and the public key to FILE.pub (goes on every box: mqtt.commandKey
{kind: ed25519, publicKeyFile}). A box then holds nothing that can sign a command.
--hmac: writes one shared secret to FILE (mode 0600); the same file goes on the box
(mqtt.commandKey {kind: hmac, file}) and with the operator. Simpler, but a stolen box can sign.
Refuses to overwrite an existing file.

Options:
      --out FILE   where to write the key
      --hmac       a shared secret instead of an Ed25519 pair`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, hmac: { type: 'boolean', default: false } }, strict: true });
    if (!values.out) throw new UsageError('--out FILE is required');
    const keys = generateKeys(values.hmac ? 'hmac' : 'ed25519');
    try {
      await writeFile(values.out, keys.privateText, { mode: 0o600, flag: 'wx' });
      if (keys.publicText) await writeFile(`${values.out}.pub`, keys.publicText, { mode: 0o644, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${(error as NodeJS.ErrnoException).path} exists; not overwriting a key`);
      throw error;
    }
    if (keys.publicText) console.log(`wrote ${values.out} (private, 0600: keep with the operator) and ${values.out}.pub (public: put on the boxes)`);
    else console.log(`wrote ${values.out} (shared secret, 0600: put on the boxes and keep with the operator)`);
    return 0;
  },
};

export const fleetSendCommand: Command = {
  name: 'fleet send',
  summary: 'send a signed remote command to one box and print its result',
  help: `Usage: deskline fleet send --broker URL --site SITE --appliance ID --key FILE [options] NAME [JSON_ARGS]

Signs the command NAME with JSON_ARGS (default {}) for that one box, publishes it on
{prefix}/{site}/{appliance}/cmd/NAME and waits for the box's cmd-result with the same id.
Prints the result as JSON. Exit code: 0 the command ran; 1 the box refused it or it failed
(see error.code); 3 no connection or no answer in time. Sending the same --id again is safe: the box
runs a command id once and answers a repeat with the first result.

Options:
${brokerHelp}
      --site SITE           site id of the box
      --appliance ID        appliance id of the box
      --key FILE            the signing key (private Ed25519 PEM, or the HMAC secret)
      --id ID               command id (default: a new UUID)
      --timeout SECONDS     how long to wait for the result; default 30`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...brokerOptions, site: { type: 'string' }, appliance: { type: 'string' }, key: { type: 'string' }, id: { type: 'string' }, timeout: { type: 'string', default: '30' } },
    });
    const [name, argsText, ...extra] = positionals;
    if (!name) throw new UsageError('the command NAME is required (e.g. doctor, agent.state)');
    if (extra.length) throw new UsageError(`unexpected ${extra.join(' ')}; put the arguments in one JSON object`);
    for (const required of ['site', 'appliance', 'key'] as const) if (!values[required]) throw new UsageError(`--${required} is required`);
    let args: unknown = {};
    if (argsText !== undefined) {
      try {
        args = JSON.parse(argsText);
      } catch {
        throw new UsageError(`JSON_ARGS is not JSON: ${argsText}`);
      }
    }
    const timeoutSeconds = Number(values.timeout);
    if (!(timeoutSeconds > 0)) throw new UsageError('--timeout must be a positive number of seconds');
    return reporting('fleet send', async () => {
      const key = await loadSigningKey(values.key!);
      const command = signCommand({ id: values.id ?? randomUUID(), name, args, issuedAt: new Date().toISOString(), site: values.site!, appliance: values.appliance! }, key);
      const client = await connectBroker(values);
      try {
        const result = await client.send(values.prefix, command, timeoutSeconds * 1000);
        console.log(JSON.stringify(result, null, 2));
        return result.ok ? 0 : 1;
      } finally {
        await client.close();
      }
    });
  },
};

export const fleetWatchCommand: Command = {
  name: 'fleet watch',
  summary: 'print the status, telemetry, events and command results of boxes as they arrive',
  help: `Usage: deskline fleet watch --broker URL [--site SITE] [--appliance ID] [options]

Subscribes to {prefix}/{site}/{appliance}/# (a missing --site or --appliance means all) and prints
one line per message: time, topic, payload. Retained statuses come first. Stops on Ctrl-C, or
after --count messages.

Options:
${brokerHelp}
      --site SITE           only this site
      --appliance ID        only this appliance
      --count N             stop after N messages`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, strict: true, options: { ...brokerOptions, site: { type: 'string' }, appliance: { type: 'string' }, count: { type: 'string' } } });
    const count = values.count === undefined ? Infinity : Number(values.count);
    if (!(count > 0)) throw new UsageError('--count must be a positive number');
    return reporting('fleet watch', async () => {
      const client = await connectBroker(values);
      let seen = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      client.onMessage((message) => {
        console.log(`${new Date().toISOString()} ${message.topic}${message.retain ? ' (retained)' : ''} ${message.payload.toString()}`);
        if (++seen >= count) done();
      });
      const stop = () => done();
      process.once('SIGINT', stop);
      try {
        await client.subscribe(`${values.prefix}/${values.site ?? '+'}/${values.appliance ?? '+'}/#`);
        await finished;
      } finally {
        process.off('SIGINT', stop);
        await client.close();
      }
      return 0;
    });
  },
};

export const fleetCommands: Command[] = [fleetKeygenCommand, fleetSendCommand, fleetWatchCommand];
