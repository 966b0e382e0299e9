// What an admin sends to create or change a campaign, and a contact row. Bad input is refused by
// field; numbers are dial-safe (no dialplan injection), time zones are real IANA zones.
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const window = z.object({ from: hhmm, to: hhmm }).strict().refine((w) => w.from < w.to, { message: 'from must be before to', path: ['to'] });
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone, e.g. Asia/Shanghai');
export const phoneNumber = z.string().regex(/^\+?[0-9]{2,20}$/, 'digits, optionally after a +');
const retryRule = z.object({ afterMinutes: z.number().min(0).max(10080), maxAttempts: z.number().int().min(1).max(20) }).strict();

export const campaignInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    /**
     * automated: answered calls run a flow; progressive: answered calls run a flow that queues
     * them for agents (customer-first); preview: an agent sees the contact first, and the call is
     * placed for them (agent-first: their phone rings, then the customer is dialled).
     */
    type: z.enum(['automated', 'progressive', 'preview']),
    /** automated: each answered call runs this flow; progressive: the flow that puts the customer in the queue. */
    flowId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/).optional(),
    /** progressive: the queue whose available agents pace the dialing; preview: whose agents work the list. */
    queueId: z.string().min(1).max(64).optional(),
    /** preview: seconds an agent has to look at a contact before the call is placed for them (0: only when they press Call). */
    preview: z.object({ autoDialSeconds: z.number().int().min(0).max(600).default(0) }).strict().prefault({}),
    /** Asterisk dial string with {number}, e.g. PJSIP/{number}@carrier. */
    dial: z.string().regex(/^(PJSIP|Local|SIP|IAX2|DAHDI)\/[A-Za-z0-9_.@{}+-]*\{number\}[A-Za-z0-9_.@{}\/+-]*$/, 'a dial string holding {number}, e.g. PJSIP/{number}@carrier'),
    callerId: z.object({ number: phoneNumber, name: z.string().max(60).default('') }).strict(),
    /** Contacts without their own zone are called in this one (default: the site's). */
    timezone: timeZone.optional(),
    schedule: z.object({
      windows: z.partialRecord(weekday, z.array(window).max(4)),
      holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')).max(366).default([]),
    }).strict(),
    pacing: z.object({
      maxConcurrent: z.number().int().min(1).max(500).default(5),
      callsPerMinute: z.number().int().min(1).max(1000).default(30),
      /** progressive: calls ringing may exceed available agents by this share (0.2 = 20 % more). */
      overdialRatio: z.number().min(0).max(2).default(0),
      ringSeconds: z.number().int().min(5).max(120).default(30),
    }).strict().prefault({}),
    retry: z.object({
      busy: retryRule.default({ afterMinutes: 10, maxAttempts: 3 }),
      noAnswer: retryRule.default({ afterMinutes: 30, maxAttempts: 3 }),
      failed: retryRule.default({ afterMinutes: 15, maxAttempts: 2 }),
    }).strict().prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.type !== 'automated' && !c.queueId) ctx.addIssue({ code: 'custom', path: ['queueId'], message: `a ${c.type} campaign works through a queue's agents: name the queue` });
    if (c.type !== 'preview' && !c.flowId) ctx.addIssue({ code: 'custom', path: ['flowId'], message: `an ${c.type} campaign's answered calls run a flow: name it` });
  });

export const contactInputSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
    number: phoneNumber,
    name: z.string().max(200).optional(),
    timezone: timeZone.optional(),
    fields: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.string().max(1000)).default({}),
  })
  .strict();

export type ContactInput = z.infer<typeof contactInputSchema>;
