// The site file's `mqtt` section: how this box reaches the fleet broker and who may command it.
// The lead mounts it as `mqtt: fleetSchema.prefault({})` in src/config/schema.ts.
import { z } from 'zod';

const seconds = (min: number, max: number) => z.number().min(min).max(max);

export const commandKeySchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('hmac'), file: z.string().min(1).describe('File holding the shared secret (mode 0600)') }).strict(),
    z.object({ kind: z.literal('ed25519'), publicKeyFile: z.string().min(1).describe('PEM file of the fleet operator\'s Ed25519 public key') }).strict(),
  ])
  .nullable();

export const fleetSchema = z
  .object({
    url: z
      .string()
      .regex(/^$|^mqtts?:\/\/[^\s/]+(:\d+)?\/?$/, 'mqtt://host[:port] or mqtts://host[:port], or empty for off')
      .default('')
      .describe('Fleet broker URL, mqtt:// or mqtts:// (empty: the fleet link is off)'),
    username: z.string().default('').describe('Broker user of this box (one per appliance, see the broker ACL)'),
    passwordFile: z.string().default('').describe('File holding the broker password (mode 0600)'),
    caFile: z.string().default('').describe('PEM CA bundle that signs the broker certificate (mqtts://); empty: the system CAs'),
    certFile: z.string().default('').describe('PEM client certificate, for brokers that authenticate boxes by certificate'),
    keyFile: z.string().default('').describe('PEM private key of certFile (mode 0600)'),
    topicPrefix: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -').default('deskline').describe('First level of every topic: {prefix}/{site}/{appliance}/…'),
    telemetrySeconds: seconds(1, 3600).default(60).describe('Seconds between two telemetry messages'),
    commandKey: commandKeySchema
      .default(null)
      .describe('Key that checks remote-command signatures: {kind: hmac, file} (shared secret) or {kind: ed25519, publicKeyFile}; empty: remote commands are refused'),
    commandWindowSeconds: seconds(10, 86400).default(300).describe('A command is accepted only within this many seconds of its issuedAt; ids are remembered this long'),
    bufferMaxTelemetry: z.number().int().min(10).max(1_000_000).default(10000).describe('Telemetry messages kept while the broker is unreachable; the oldest are dropped first (events are never dropped)'),
    reconnectSeconds: seconds(0.1, 300).default(5).describe('Seconds between two attempts to reach the broker'),
  })
  .strict()
  .superRefine((mqtt, ctx) => {
    if ((mqtt.certFile === '') !== (mqtt.keyFile === '')) {
      ctx.addIssue({ code: 'custom', message: 'certFile and keyFile go together', path: [mqtt.certFile === '' ? 'certFile' : 'keyFile'] });
    }
    if (mqtt.url.startsWith('mqtt://') && (mqtt.caFile || mqtt.certFile)) {
      ctx.addIssue({ code: 'custom', message: 'TLS files need an mqtts:// url', path: ['url'] });
    }
    if (mqtt.passwordFile !== '' && mqtt.username === '') {
      ctx.addIssue({ code: 'custom', message: 'a password needs a username', path: ['username'] });
    }
  });

export type FleetSettings = z.infer<typeof fleetSchema>;
export type CommandKeySettings = NonNullable<FleetSettings['commandKey']>;
