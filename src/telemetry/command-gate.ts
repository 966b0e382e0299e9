// Pure checks of an incoming command, in the order that leaks least: shape, commands enabled,
// addressee, signature, time window. Only a command that passes all of them is looked up in the
// ledger (so unsigned junk cannot fill the ledger or learn which ids were used).
import { z } from 'zod';
import { verifyCommand, type SignedCommand, type VerifyingKey } from './command-signing.ts';
import type { CommandRefusal } from './errors.ts';

const commandShape = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1–100 letters, digits, _ . : -'),
  name: z.string().min(1).max(100),
  args: z.unknown().optional(),
  issuedAt: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO 8601 time'),
  site: z.string().min(1),
  appliance: z.string().min(1),
  signature: z.string().min(1),
});

export interface GateContext {
  site: string;
  appliance: string;
  key: VerifyingKey | undefined;
  windowMs: number;
  now: number;
}

export type GateDecision =
  | { ok: true; command: SignedCommand }
  /** `id`/`name` are echoed when they could be read, so the sender can match the refusal. */
  | { ok: false; refusal: CommandRefusal; id?: string; name?: string };

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0]!;
  return { field: issue.path.join('.') || '(message)', message: issue.message };
}

export function checkCommand(topicName: string, body: Buffer | string, context: GateContext): GateDecision {
  let json: unknown;
  try {
    json = JSON.parse(body.toString());
  } catch {
    return { ok: false, refusal: { code: 'CMD_BAD_MESSAGE', message: 'the command is not JSON' }, name: topicName };
  }
  const loose = json as { id?: unknown; name?: unknown };
  const echo = { id: typeof loose?.id === 'string' ? loose.id : undefined, name: topicName };
  const parsed = commandShape.safeParse(json);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    return { ok: false, ...echo, refusal: { code: 'CMD_BAD_MESSAGE', message: `${field}: ${message}`, details: { field } } };
  }
  const command = parsed.data as SignedCommand;
  if (!context.key) return { ok: false, ...echo, refusal: { code: 'CMD_DISABLED', message: 'remote commands are off on this box (no mqtt.commandKey)' } };
  if (command.name !== topicName) {
    return { ok: false, ...echo, refusal: { code: 'CMD_BAD_MESSAGE', message: `name: ${JSON.stringify(command.name)} does not match the topic's ${JSON.stringify(topicName)}`, details: { field: 'name' } } };
  }
  if (command.site !== context.site || command.appliance !== context.appliance) {
    return { ok: false, ...echo, refusal: { code: 'CMD_WRONG_BOX', message: `the command is for ${command.site}/${command.appliance}, this is ${context.site}/${context.appliance}` } };
  }
  if (!verifyCommand(command, context.key)) return { ok: false, ...echo, refusal: { code: 'CMD_BAD_SIGNATURE', message: 'the signature does not match the command' } };
  const skewMs = context.now - Date.parse(command.issuedAt);
  if (Math.abs(skewMs) > context.windowMs) {
    const age = Math.round(skewMs / 1000);
    return {
      ok: false,
      ...echo,
      refusal: { code: 'CMD_EXPIRED', message: `issuedAt is ${Math.abs(age)} s ${age > 0 ? 'old' : 'in the future'}; the window is ${context.windowMs / 1000} s`, details: { field: 'issuedAt' } },
    };
  }
  return { ok: true, command };
}
