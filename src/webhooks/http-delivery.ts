// The one place that sends webhooks over HTTP: a signed JSON POST with a timeout on the injected
// clock. Redirects are not followed: a receiver that moved must be re-subscribed by an admin, and
// following would send the signed body to wherever a Location header points.
import type { Clock } from '../core/clock.ts';
import type { AttemptOutcome } from './schedule.ts';
import { signatureOf } from './signature.ts';
import type { OutboxEntry } from './webhook-types.ts';

/** The subset of global fetch delivery uses; tests pass a fake. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export const USER_AGENT = 'Deskline-Webhooks/1';

export function deliveryHeaders(entry: OutboxEntry, secret: string, timestampSeconds: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-deskline-event': entry.eventType,
    'x-deskline-delivery': entry.eventId,
    'x-deskline-timestamp': String(timestampSeconds),
    'x-deskline-signature': signatureOf(secret, timestampSeconds, entry.body),
  };
}

function describe(error: unknown): string {
  // Node's fetch fails with "fetch failed" and puts the reason (ECONNREFUSED, …) in `cause`.
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  if (cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}

export interface PostDeps {
  fetch: Fetch;
  clock: Clock;
  timeoutMs: number;
  /** A monotonic ms counter for the log's durations (performance.now); not used for decisions. */
  elapsed: () => number;
}

/**
 * Sends one attempt. Resolves to its outcome, or to undefined when `closing` aborted it: the
 * service is stopping, the attempt counts for nothing, and the entry is sent again after restart.
 */
export async function postEntry(deps: PostDeps, target: { url: string; secret: string }, entry: OutboxEntry, closing: AbortSignal): Promise<AttemptOutcome | undefined> {
  if (closing.aborted) return undefined;
  const controller = new AbortController();
  let why: 'timeout' | 'closing' | undefined;
  const onClose = () => {
    why ??= 'closing';
    controller.abort();
  };
  closing.addEventListener('abort', onClose, { once: true });
  const timer = deps.clock.at(deps.clock.now() + deps.timeoutMs, () => {
    why ??= 'timeout';
    controller.abort();
  });
  const started = deps.elapsed();
  const ms = () => Math.round(deps.elapsed() - started);
  try {
    const headers = deliveryHeaders(entry, target.secret, Math.floor(deps.clock.now() / 1000));
    const response = await deps.fetch(target.url, { method: 'POST', headers, body: entry.body, redirect: 'manual', signal: controller.signal });
    // Only the status matters; dropping the body frees the connection at once.
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, status, ms: ms() };
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      return { ok: false, status, error: `redirect ${status} not followed${location ? ` (to ${location.slice(0, 200)})` : ''}`, ms: ms() };
    }
    return { ok: false, ...(status > 0 && { status }), error: `HTTP ${status}`, ms: ms() };
  } catch (error) {
    if (why === 'closing') return undefined;
    if (why === 'timeout') return { ok: false, error: `no answer within ${deps.timeoutMs / 1000} s`, ms: ms() };
    return { ok: false, error: describe(error), ms: ms() };
  } finally {
    timer.cancel();
    closing.removeEventListener('abort', onClose);
  }
}
