// Which command ids this box has seen, with their results, so a command delivered twice (QoS 1
// redelivery, an operator retrying, a replay inside the window) runs once and its first result is
// published again. Entries live until the command's window has passed; after that the time
// window itself refuses the command, so the ledger can forget it.
import type { Section } from '../store/store.ts';
import type { CommandResult } from './command-runner.ts';

interface LedgerEntry {
  result: CommandResult;
  expiresAt: number;
}

const pad = (n: number) => String(Math.max(0, Math.floor(n))).padStart(15, '0');

export class CommandLedger {
  constructor(private readonly section: Section) {}

  async result(id: string): Promise<CommandResult | undefined> {
    return (await this.section.get<LedgerEntry>(`cmd:${id}`))?.result;
  }

  async remember(id: string, result: CommandResult, expiresAt: number): Promise<void> {
    await this.section.batch([
      { type: 'put', key: `cmd:${id}`, value: { result, expiresAt } satisfies LedgerEntry },
      { type: 'put', key: `cmd-expiry:${pad(expiresAt)}:${id}`, value: id },
    ]);
  }

  /** Forgets commands whose window ended before `now`; returns how many. */
  async prune(now: number): Promise<number> {
    const operations: { type: 'del'; key: string }[] = [];
    for await (const [key, id] of this.section.entries<string>({ gte: 'cmd-expiry:', lt: `cmd-expiry:${pad(now)}` })) {
      operations.push({ type: 'del', key }, { type: 'del', key: `cmd:${id}` });
    }
    if (operations.length) await this.section.batch(operations);
    return operations.length / 2;
  }
}
