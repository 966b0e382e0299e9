// Turns one incoming cmd/ message into exactly one cmd-result: refused (with a stable code),
// a stored result again (seen id), or the handler's result. Never throws; the link publishes.
import type { Logger } from 'pino';
import type { z } from 'zod';
import { checkCommand, type GateContext } from './command-gate.ts';
import type { CommandLedger } from './command-ledger.ts';
import type { CommandRefusal } from './errors.ts';

export interface CommandHandler<Args = unknown> {
  args: z.ZodType<Args>;
  run(args: Args): Promise<unknown> | unknown;
}

// `any` here lets the lead pass handlers with their own arg types in one map.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandlers = Record<string, CommandHandler<any>>;

export interface CommandResult {
  id?: string;
  name?: string;
  ok: boolean;
  result?: unknown;
  error?: CommandRefusal;
  /** True when this id was seen before and the stored result is sent again (the command did not run again). */
  duplicate?: boolean;
  finishedAt: string;
}

/** MQTT brokers take large messages, but a command result is not a file transfer. */
export const maxResultBytes = 256 * 1024;

export interface CommandRunnerDeps {
  handlers: CommandHandlers;
  ledger: CommandLedger;
  logger: Logger;
  context: () => GateContext;
}

export class CommandRunner {
  /** Commands running now, by id: a second delivery waits for the first instead of running again. */
  private readonly running = new Map<string, Promise<CommandResult>>();

  constructor(private readonly deps: CommandRunnerDeps) {}

  async handle(topicName: string, body: Buffer | string): Promise<CommandResult> {
    const context = this.deps.context();
    const finishedAt = () => new Date(this.deps.context().now).toISOString();
    const decision = checkCommand(topicName, body, context);
    if (!decision.ok) {
      this.deps.logger.warn({ commandId: decision.id, command: decision.name, code: decision.refusal.code }, `fleet command refused: ${decision.refusal.message}`);
      return { id: decision.id, name: decision.name, ok: false, error: decision.refusal, finishedAt: finishedAt() };
    }
    const { command } = decision;
    const inFlight = this.running.get(command.id);
    if (inFlight) return { ...(await inFlight), duplicate: true };
    // Registered before the first await, so a second delivery in the same tick finds it.
    const work = (async (): Promise<CommandResult> => {
      const seen = await this.deps.ledger.result(command.id);
      if (seen) {
        this.deps.logger.info({ commandId: command.id, command: command.name }, 'fleet command seen before: its result is sent again, it does not run again');
        return { ...seen, duplicate: true };
      }
      const result = await this.run(command.id, command.name, command.args, finishedAt);
      await this.deps.ledger.remember(command.id, result, Date.parse(command.issuedAt) + context.windowMs);
      return result;
    })();
    this.running.set(command.id, work);
    try {
      return await work;
    } finally {
      this.running.delete(command.id);
    }
  }

  private async run(id: string, name: string, rawArgs: unknown, finishedAt: () => string): Promise<CommandResult> {
    const refuse = (error: CommandRefusal): CommandResult => {
      this.deps.logger.warn({ commandId: id, command: name, code: error.code }, `fleet command refused: ${error.message}`);
      return { id, name, ok: false, error, finishedAt: finishedAt() };
    };
    const handler = Object.hasOwn(this.deps.handlers, name) ? this.deps.handlers[name] : undefined;
    if (!handler) return refuse({ code: 'CMD_UNKNOWN', message: `no command ${JSON.stringify(name)} on this box`, details: { known: Object.keys(this.deps.handlers).sort() } });
    const args = handler.args.safeParse(rawArgs ?? {});
    if (!args.success) {
      const issue = args.error.issues[0]!;
      const field = ['args', ...issue.path.map(String)].join('.');
      return refuse({ code: 'CMD_BAD_ARGS', message: `${field}: ${issue.message}`, details: { field, issues: args.error.issues.map((i) => ({ path: ['args', ...i.path.map(String)].join('.'), message: i.message })) } });
    }
    this.deps.logger.info({ commandId: id, command: name }, 'fleet command running');
    let result: unknown;
    try {
      result = await handler.run(args.data);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return refuse({ code: 'CMD_FAILED', message: (error as Error).message ?? String(error), details: typeof code === 'string' ? { cause: code } : undefined });
    }
    const size = Buffer.byteLength(JSON.stringify(result ?? null), 'utf8');
    if (size > maxResultBytes) {
      return refuse({ code: 'CMD_RESULT_TOO_LARGE', message: `the command ran, but its result is ${size} bytes (most ${maxResultBytes}); fetch it another way`, details: { bytes: size, max: maxResultBytes } });
    }
    this.deps.logger.info({ commandId: id, command: name }, 'fleet command done');
    return { id, name, ok: true, result: result ?? null, finishedAt: finishedAt() };
  }
}
