// Who must hear of every ended call, even across a crash. Reports, webhooks and follow-ups each
// act once a call has ended; an in-memory 'ended' event alone loses the calls that end just
// before the process dies. So each consumer's marker `due!<consumer>!<callId>` is written in the
// same batch as the call's final state (CallRecords.save asks `endedOps`), and removed once the
// consumer has handled the call. At start, `replay` hands the leftovers over again. Consumers
// must therefore be idempotent (reports are; webhooks publish with a once-key).
import type { Logger } from 'pino';
import { prefixRange, type BatchOperation, type Section, type Store } from '../store/store.ts';

export type EndingHandler = (callId: string) => Promise<void>;

const consumerName = /^[a-z][a-z0-9-]{0,31}$/;
const key = (consumer: string, callId: string) => `due!${consumer}!${callId}`;

export class CallEndings {
  private readonly section: Section;
  private readonly handlers = new Map<string, EndingHandler>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(store: Store, private readonly logger: Logger) {
    // The calls section: the markers must land in the same batch as the call's final state.
    this.section = store.section('calls');
  }

  /** Before any call can end (i.e. before calls are loaded): later consumers miss earlier calls. */
  register(consumer: string, handle: EndingHandler): void {
    if (!consumerName.test(consumer)) throw new Error(`bad call-endings consumer name ${JSON.stringify(consumer)}`);
    if (this.handlers.has(consumer)) throw new Error(`call-endings consumer ${consumer} registered twice`);
    this.handlers.set(consumer, handle);
  }

  /** The markers to write with a call's final state. */
  endedOps(callId: string): BatchOperation[] {
    return [...this.handlers.keys()].map((consumer) => ({ type: 'put' as const, key: key(consumer, callId), value: 1 }));
  }

  /** Hands a just-ended call (its final state saved) to every consumer. */
  ended(callId: string): void {
    for (const consumer of this.handlers.keys()) this.deliver(consumer, callId);
  }

  /** Hands over again what a previous run did not finish (at start, after consumers registered). */
  async replay(): Promise<number> {
    let count = 0;
    for (const consumer of this.handlers.keys()) {
      const due: string[] = [];
      for await (const [k] of this.section.entries(prefixRange(`due!${consumer}!`))) due.push(k.slice(`due!${consumer}!`.length));
      for (const callId of due) this.deliver(consumer, callId);
      count += due.length;
    }
    if (count) this.logger.info({ calls: count }, 'ended calls handed over again after a restart');
    return count;
  }

  /** Resolves when every handover started so far has settled. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private deliver(consumer: string, callId: string): void {
    const handle = this.handlers.get(consumer)!;
    const run = (async () => {
      try {
        await handle(callId);
        await this.section.batch([{ type: 'del', key: key(consumer, callId) }]);
      } catch (error) {
        // The marker stays: the next start tries again.
        this.logger.error({ err: error, callId, consumer }, 'ended call not handled; retried at next start');
      }
    })().finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }
}
