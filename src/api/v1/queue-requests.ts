// What a caller may ask of queues, agents and live calls: the admin API's request bodies (who
// asks comes from the login, never from the body).
import { z } from 'zod';

export const agentAction = z.object({ action: z.enum(['login', 'logout', 'pause', 'unpause']), reason: z.string().min(1).max(64).optional() }).strict();
const sink = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('phone'), endpoint: z.string().regex(/^(PJSIP|Local|IAX2)\/[A-Za-z0-9_.+*#@/-]{1,120}$/) }).strict(),
  z.object({ kind: z.literal('rtp'), host: z.string().regex(/^[0-9.]+$|^[0-9a-f:]+$/i), port: z.number().int().min(1).max(65535), format: z.enum(['ulaw', 'slin16']).default('ulaw') }).strict(),
]);
export const monitorRequest = z.object({ mode: z.enum(['listen', 'whisper', 'barge']), sink }).strict();
export const toQueue = z.object({ kind: z.literal('queue'), queueId: z.string().min(1).max(64) }).strict();
export const toAgent = z.object({ kind: z.literal('agent'), agentId: z.string().min(1).max(64) }).strict();
export const toNumber = z.object({ kind: z.literal('number'), number: z.string().regex(/^[0-9A-Za-z+*#]{1,40}$/) }).strict();
export const target = z.discriminatedUnion('kind', [toQueue, toAgent, toNumber]);
export const transferRequest = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('blind'), to: target }).strict(),
  z.object({ mode: z.literal('consult'), to: z.discriminatedUnion('kind', [toAgent, toNumber]) }).strict(),
  z.object({ mode: z.enum(['complete', 'cancel']) }).strict(),
]);
export const recordingAction = z.object({ action: z.enum(['start', 'pause', 'resume']) }).strict();
