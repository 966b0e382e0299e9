// Test doubles for webhooks: a fake receiver behind a fake fetch, and a service on a memory store
// and a manual clock. Not imported by production code.
import { pino } from 'pino';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { Store } from '../store/store.ts';
import type { Fetch } from './http-delivery.ts';
import type { DeliveryPolicy } from './schedule.ts';
import { WebhookService } from './webhook-service.ts';

export interface ReceivedRequest {
  /** Clock time when the request was sent. */
  at: number;
  url: string;
  headers: Record<string, string>;
  body: string;
  redirect: RequestInit['redirect'];
}

type Answer = number | 'refuse' | 'hang';
/** What the fake receiver does with one request: answer with a status (now or later), refuse, or never answer. */
export type Behaviour = Answer | ((request: ReceivedRequest) => Answer | Promise<Answer>);

export class FakeReceiver {
  readonly requests: ReceivedRequest[] = [];
  behaviour: Behaviour = 200;

  constructor(private readonly clock: ManualClock) {}

  readonly fetch: Fetch = async (url, init) => {
    const request: ReceivedRequest = { at: this.clock.now(), url, headers: { ...(init.headers as Record<string, string>) }, body: String(init.body), redirect: init.redirect };
    this.requests.push(request);
    const what = typeof this.behaviour === 'function' ? await this.behaviour(request) : this.behaviour;
    if (what === 'refuse') {
      return Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }));
    }
    if (what === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')), { once: true });
      });
    }
    const headers = what >= 300 && what < 400 ? { location: 'https://elsewhere.example/' } : undefined;
    return Promise.resolve(new Response(what === 204 || what === 304 ? null : 'ok', { status: what, ...(headers && { headers }) }));
  };

  /** Resolves once `count` requests have arrived (attempts start a few ticks after a wake). */
  async received(count: number): Promise<void> {
    for (let tick = 0; this.requests.length < count; tick++) {
      if (tick > 1_000) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Event ids in the order they arrived (with repeats). */
  ids(): string[] {
    return this.requests.map((r) => r.headers['x-deskline-delivery']!);
  }
}

export const START = Date.UTC(2025, 0, 6, 9, 0, 0);

export async function harness(options: { store?: Store; clock?: ManualClock; random?: () => number; policy?: Partial<DeliveryPolicy>; receiver?: FakeReceiver } = {}) {
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? new ManualClock(START);
  const receiver = options.receiver ?? new FakeReceiver(clock);
  // 0.5 puts the jitter factor at exactly 1: waits are 10 s, 30 s, 90 s, …
  const service = await WebhookService.open({ store, clock, logger: pino({ level: 'silent' }), fetch: receiver.fetch, random: options.random ?? (() => 0.5), ...(options.policy && { policy: options.policy }) });
  /** Moves time and lets every attempt that came due finish. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await service.idle();
  };
  const subscribe = async (events: string[] = ['*'], url = 'https://crm.example.com/hooks') => service.create({ url, events }, 'admin');
  return { store, clock, receiver, service, advance, subscribe };
}
