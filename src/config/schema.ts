// The site configuration: one typed object read once at startup. Every field has a description,
// which `deskline config docs` turns into the README's settings table.
import { z } from 'zod';
import { routeSchema, validateRoutes } from '../ivr/routes.ts';
import { acdSchema, agentSchema, checkQueues, queueSchema } from '../queue/queue-config.ts';
import { fleetSchema } from '../telemetry/fleet-config.ts';
import { adminSchema, asteriskHostSchema, extensionSchema, networkSchema, serviceSchema, trunkSchema } from './provisioning-schema.ts';

const port = z.number().int().min(1).max(65535);

export const configSchema = z
  .object({
    site: z
      .object({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes').default('demo').describe('Site id, used in logs and telemetry topics'),
        name: z.string().min(1).default('Deskline demo site').describe('Human name of the site'),
        timezone: z.string().default('UTC').describe('IANA time zone of the site, e.g. Asia/Shanghai'),
        locale: z.enum(['zh-CN', 'en']).default('en').describe('Default language for prompts and the UI'),
        applianceId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes').default('box-1').describe('This box among the site\'s boxes: the second level of fleet topics'),
        network: networkSchema.prefault({}),
      })
      .strict()
      .prefault({}),
    asterisk: z
      .object({
        sandbox: z.boolean().default(false).describe('Start the bundled sandbox Asterisk (demo and tests) instead of connecting to ariUrl'),
        ariUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8088/ari').describe('Base URL of Asterisk ARI'),
        ariUser: z.string().min(1).default('deskline').describe('ARI user'),
        ariPassword: z.string().default('').describe('ARI password (prefer ariPasswordFile)'),
        ariPasswordFile: z.string().default('').describe('File holding the ARI password (mode 0600)'),
        app: z.string().regex(/^[A-Za-z0-9_-]+$/).default('deskline').describe('ARI (Stasis) application name'),
        mediaHostDir: z.string().default('').describe('Folder where Deskline writes audio that Asterisk plays (host path)'),
        mediaAsteriskDir: z.string().default('').describe('The same folder as Asterisk sees it (differs in a chroot)'),
        recordingsDir: z.string().default('/var/spool/asterisk/recording').describe('Where Asterisk writes recordings (host path); Deskline moves them into its recording store'),
        reconnectMaxSeconds: z.number().min(1).max(300).default(10).describe('Longest wait between ARI reconnect attempts'),
        ...asteriskHostSchema,
      })
      .strict()
      .prefault({}),
    http: z
      .object({
        host: z.string().default('127.0.0.1').describe('Address the admin API and UI listen on'),
        port: port.default(8080).describe('Port of the admin API and UI (0 = any free port)').or(z.literal(0)),
      })
      .strict()
      .prefault({}),
    store: z
      .object({
        path: z.string().default('./data').describe('Folder of the LevelDB data store'),
        sync: z.boolean().default(false).describe('fsync every write batch (survives power loss; slower)'),
      })
      .strict()
      .prefault({}),
    calls: z
      .object({
        greetingPrompt: z.string().default('sound:hello-world').describe('Media played when a call is answered (until a flow is routed)'),
        idleTimeoutSeconds: z.number().min(1).max(3600).default(30).describe('Hang up after this long with no caller input'),
        maxCallSeconds: z.number().min(10).max(86400).default(3600).describe('Hang up any call longer than this'),
      })
      .strict()
      .prefault({}),
    ivr: z
      .object({
        flowsDir: z.string().default('').describe('Folder of flow files, published at startup when they changed (empty: none)'),
        promptsDir: z.string().default('').describe('Prompt catalog folder (<language>.yaml); empty: ivr-flows/prompts'),
        routes: z.array(routeSchema).max(1000).superRefine((routes, ctx) => {
          for (const p of validateRoutes(routes).problems) ctx.addIssue({ code: 'custom', message: p.message, path: p.path });
        }).default([]).describe('Dialed number → flow routes: exact number, prefix*, or *; optional hours'),
      })
      .strict()
      .prefault({}),
    speech: z
      .object({
        transcribe: z.enum(['off', 'caller', 'both']).default('off').describe('Live transcription of calls: off, the caller leg, or both legs (flows may override)'),
        engine: z.enum(['pocketsphinx', 'vosk']).default('pocketsphinx').describe('Speech engine for en calls (pocketsphinx is built in; vosk needs a model)'),
        model: z.string().default('').describe('Model folder for en calls (pocketsphinx acoustic model or Vosk model); empty: pocketsphinx en-us from Debian'),
        phrasesFile: z.string().default('').describe('What callers are expected to say, one phrase per line: builds the domain language model'),
        zhModel: z.string().default('').describe('Vosk model folder for zh-CN calls (e.g. vosk-model-small-cn-0.22); empty: zh-CN calls are not transcribed'),
        zhPhrasesFile: z.string().default('').describe('Expected zh-CN phrases, one per line (Vosk phrase list)'),
      })
      .strict()
      .prefault({}),
    trunks: z.array(trunkSchema).max(50).default([]).describe('SIP trunks to carriers: registration, authentication, codecs and the DIDs each delivers'),
    extensions: z.array(extensionSchema).max(5000).default([]).describe('Desk phones (SIP) provisioning defines; agents ring them as PJSIP/<id>'),
    admin: adminSchema.prefault({}),
    service: serviceSchema.prefault({}),
    mqtt: fleetSchema.prefault({}),
    queues: z.array(queueSchema).max(500).default([]).describe('Call queues (ACD): strategy, skills, limits, overflow, music on hold, recording policy'),
    agents: z.array(agentSchema).max(5000).default([]).describe('Agents: id, endpoint (dial string), extension, skills with levels 1–5'),
    acd: acdSchema.prefault({}),
    recordings: z
      .object({
        dir: z.string().default('').describe('Folder of call recordings and their manifest; empty: <store.path>/recordings'),
        retentionDays: z.number().int().min(0).max(36500).default(0).describe('Delete recordings older than this many days (0: keep forever)'),
        minFreeGb: z.number().min(0).max(100000).default(2).describe('Free space to keep on the recordings disk: below it no recording starts and running ones stop (calls go on), doctor fails and the disk-low alarm is raised'),
      })
      .strict()
      .prefault({}),
    knowledge: z
      .object({
        importOnStart: z.string().default('').describe('Knowledge-base file (JSON, CSV) or Markdown folder imported and published at startup when the knowledge base is empty (demo sites)'),
        audioDir: z.string().default('').describe('Folder of recorded answers (an article\'s answerAudio is relative to it); empty: <store.path>/media/knowledge'),
        escalationPhrases: z.array(z.string().min(1).max(100)).max(1000).optional()
          .describe('Phrases (any language) that raise a supervisor alert and are marked in the call record; default: complaint, lawyer, 投诉, 举报 and more'),
        agentPhrases: z.array(z.string().min(1).max(100)).max(1000).optional()
          .describe('Phrases (any language) with which a caller asks the FAQ bot for a person; default: agent, operator, 人工 and more'),
        assistDebounceMs: z.number().int().min(50).max(5000).default(400).describe('Agent assist: least time between two suggestion updates while the caller speaks'),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
        file: z.string().regex(/^(\/.*)?$/, 'an absolute path, or empty').default('').describe('Write logs to this file instead of stdout/journald (rotated by the fleet logs.rotate command or logrotate + SIGHUP)'),
        keep: z.number().int().min(1).max(100).default(7).describe('Rotated log files kept (file.1 … file.N)'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const p of checkQueues(config.queues, config.agents)) ctx.addIssue({ code: 'custom', message: p.message, path: p.path });
  });

export type DesklineConfig = z.infer<typeof configSchema>;
