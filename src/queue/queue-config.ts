// Queues and agents as a site file declares them. The schema turns into the ACD's QueueConfig plus
// what only the executor needs (music on hold, recording policy, whisper, how to dial).
import { z } from 'zod';
import type { QueueConfig } from './queue-types.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a-z 0-9 _ - (starts with a letter or digit)');
const skillName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'skill names: a-z 0-9 _ -');
/** Asterisk dial strings Deskline may originate: technology/resource, no dialplan injection. */
export const dialString = z.string().regex(/^(PJSIP|Local|IAX2|DAHDI)\/[A-Za-z0-9_.+*#@/-]{1,120}$/, 'a dial string like PJSIP/1001, PJSIP/{number}@trunk or Local/1001@deskline-sim/n');

/**
 * Where an overflowing caller goes: another queue (keeping nothing but their priority), back to
 * the flow (the queue node's onOverflow: voicemail, a message, a callback offer), or a polite
 * hang-up. Voicemail is a flow node, so it is reached through `flow`.
 */
const overflow = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('queue'), queueId: id }).strict(),
  z.object({ kind: z.literal('flow') }).strict(),
  z.object({ kind: z.literal('hangup') }).strict(),
]);

export const queueSchema = z
  .object({
    id: id.describe('Queue id, named by flows (queue node)'),
    name: z.string().min(1).max(100).optional(),
    strategy: z.enum(['ring-all', 'round-robin', 'longest-idle', 'fewest-calls', 'skills-based', 'random']).default('longest-idle'),
    requiredSkills: z.array(z.object({ skill: skillName, minLevel: z.number().int().min(1).max(5) }).strict()).max(20).default([]),
    relaxation: z.array(z.object({ afterSeconds: z.number().min(0).max(86400), minLevel: z.number().int().min(0).max(5), skill: skillName.optional() }).strict()).max(20).default([]),
    ringTimeoutSeconds: z.number().min(3).max(300).default(15),
    maxWaitSeconds: z.number().min(5).max(86400).default(900),
    maxLength: z.number().int().min(1).max(10000).default(200),
    wrapUpSeconds: z.number().min(0).max(3600).default(10),
    autoPauseAfterMisses: z.number().int().min(0).max(100).default(3),
    overflow: overflow.default({ kind: 'hangup' }),
    announceEverySeconds: z.number().min(10).max(3600).optional(),
    musicOnHold: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('default').describe('Asterisk MOH class'),
    recording: z.enum(['none', 'all', 'on-demand']).default('none'),
    callbackMode: z.enum(['customer-first', 'agent-first']).default('customer-first'),
    /** Live transcription from the moment a call joins this queue (on top of the flow's or site's policy). */
    transcription: z.enum(['off', 'caller', 'both']).default('off'),
    /** Whisper to the agent before connecting: queue name, caller number, repeat-caller flag. */
    whisper: z.boolean().default(true),
  })
  .strict();

/** An agent whose phone is the agent console's browser softphone (a WebRTC endpoint Deskline defines). */
export const SOFTPHONE = 'webrtc';
export const softphoneEndpointName = (agentId: string) => `webrtc-${agentId}`;

/**
 * How to ring an agent's phone. A browser softphone is offered Opus first: without `formats`,
 * Asterisk offers PCMU first and the browser settles for 8 kHz (webrtc-notes.md).
 */
export function agentPhone(agent: { id: string; endpoint: string }): { endpoint: string; formats?: string } {
  return agent.endpoint === SOFTPHONE ? { endpoint: `PJSIP/${softphoneEndpointName(agent.id)}`, formats: 'opus,ulaw,alaw' } : { endpoint: agent.endpoint };
}

export const agentSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().min(1).max(100).optional(),
    /** Where the agent's phone is rung: a dial string, or "webrtc" for the browser softphone in the agent console. */
    endpoint: dialString.or(z.literal(SOFTPHONE)),
    /** The caller number the agent's phone dials from (feature codes *50/*51 identify agents by it). */
    extension: z.string().regex(/^[0-9A-Za-z+*#]{1,40}$/).optional(),
    skills: z.record(skillName, z.number().int().min(1).max(5)).default({}),
  })
  .strict();

const featureCode = z.string().regex(/^[*#0-9]{2,8}$/, 'feature codes: 2–8 of * # 0-9');

export const acdSchema = z
  .object({
    serviceLevelSeconds: z.number().min(1).max(3600).default(20).describe('Service level: answered within this many seconds'),
    repeatCallerWindowHours: z.number().min(0).max(24 * 90).default(24).describe('A caller who called within this many hours is flagged as a repeat caller (0: off)'),
    callbackDial: z.string().regex(/\{number\}/, 'must contain {number}').default('PJSIP/{number}@trunk').describe('Dial string for queue callbacks; {number} is the customer\'s number'),
    transferDial: z.string().regex(/\{number\}/, 'must contain {number}').default('PJSIP/{number}').describe('Dial string for attended transfers to a number; {number} is the number'),
    callbackCallerId: z.string().max(40).default('').describe('Caller number shown to customers called back'),
    featureCodes: z
      .object({
        login: featureCode.default('*50').describe('Dialed by an agent\'s phone: log in'),
        logout: featureCode.default('*51').describe('Dialed by an agent\'s phone: log out'),
        pause: featureCode.default('*52').describe('Dialed by an agent\'s phone: pause'),
        unpause: featureCode.default('*53').describe('Dialed by an agent\'s phone: end the pause'),
        recordingPause: featureCode.default('*8').describe('Keyed by the agent during a call: pause the recording (card numbers)'),
        recordingResume: featureCode.default('*9').describe('Keyed by the agent during a call: resume the recording'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type QueueSettings = z.infer<typeof queueSchema>;
export type AgentSettings = z.infer<typeof agentSchema>;
export type AcdSettings = z.infer<typeof acdSchema>;

export function toQueueConfig(q: QueueSettings): QueueConfig {
  return {
    id: q.id,
    strategy: q.strategy,
    requiredSkills: q.requiredSkills,
    relaxation: q.relaxation,
    ringTimeoutSeconds: q.ringTimeoutSeconds,
    maxWaitSeconds: q.maxWaitSeconds,
    maxLength: q.maxLength,
    wrapUpSeconds: q.wrapUpSeconds,
    autoPauseAfterMisses: q.autoPauseAfterMisses,
    overflow: q.overflow,
    callbackMode: q.callbackMode,
    ...(q.announceEverySeconds !== undefined ? { announceEverySeconds: q.announceEverySeconds } : {}),
  };
}

/** Cross-references a schema cannot see: unique ids, overflow to queues that exist, no cycles of one. */
export function checkQueues(queues: QueueSettings[], agents: AgentSettings[]): { message: string; path: (string | number)[] }[] {
  const problems: { message: string; path: (string | number)[] }[] = [];
  const ids = new Set<string>();
  queues.forEach((q, i) => {
    if (ids.has(q.id)) problems.push({ message: `queue id ${q.id} is used twice`, path: ['queues', i, 'id'] });
    ids.add(q.id);
  });
  queues.forEach((q, i) => {
    if (q.overflow.kind === 'queue' && !ids.has(q.overflow.queueId)) problems.push({ message: `overflow names queue ${q.overflow.queueId}, which is not defined`, path: ['queues', i, 'overflow', 'queueId'] });
    if (q.overflow.kind === 'queue' && q.overflow.queueId === q.id) problems.push({ message: 'a queue cannot overflow to itself', path: ['queues', i, 'overflow', 'queueId'] });
  });
  const agentIds = new Set<string>();
  const extensions = new Set<string>();
  agents.forEach((a, i) => {
    if (agentIds.has(a.id)) problems.push({ message: `agent id ${a.id} is used twice`, path: ['agents', i, 'id'] });
    agentIds.add(a.id);
    if (a.extension && extensions.has(a.extension)) problems.push({ message: `extension ${a.extension} belongs to two agents`, path: ['agents', i, 'extension'] });
    if (a.extension) extensions.add(a.extension);
  });
  return problems;
}
