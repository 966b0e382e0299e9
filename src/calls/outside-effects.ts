// The IO behind a flow's outside requests. Each returns the IVR event that answers the request.
import type { IvrEffect, IvrEvent, HttpRequestEffect } from '../ivr/ivr-types.ts';
import type { Store } from '../store/store.ts';
import type { Telephony } from '../telephony/telephony.ts';

const maxBodyBytes = 256 * 1024;

/** Calls a business system for an HTTP node: timeout, JSON when it is JSON, never throws. */
export async function performHttp(request: HttpRequestEffect): Promise<IvrEvent> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: { 'user-agent': 'Deskline-IVR', ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'manual',
    });
    const buffer = Buffer.from(await response.arrayBuffer());
    if (buffer.length > maxBodyBytes) return { type: 'http-result', id: request.id, status: response.status, error: `response larger than ${maxBodyBytes} bytes`, ms: elapsed() };
    const text = buffer.toString('utf8');
    let body: unknown = text;
    if (/json/i.test(response.headers.get('content-type') ?? '') || /^\s*[[{]/.test(text)) {
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
    }
    return { type: 'http-result', id: request.id, status: response.status, body, ms: elapsed() };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    return { type: 'http-result', id: request.id, status: 0, error: reason, ms: elapsed() };
  }
}

export interface OutsideDeps {
  telephony: Telephony;
  store: Store;
  now: () => number;
  /** Whether a speech engine is set up for calls (realtime transcription lands with the speech issue). */
  speechAvailable: boolean;
}

export async function performOutside(
  callId: string,
  channelId: string,
  effect: Extract<IvrEffect, { type: 'speech' | 'transfer' | 'callback' }>,
  deps: OutsideDeps,
): Promise<IvrEvent> {
  const failed = (code: string, message: string): IvrEvent => ({ type: 'effect-failed', id: effect.id, code, message });
  switch (effect.type) {
    case 'speech':
      return failed('SPEECH_NOT_AVAILABLE', 'no speech engine is configured for calls on this appliance');
    case 'transfer':
      try {
        if (effect.via === 'trunk') await deps.telephony.continueInDialplan(channelId, 'deskline-transfer-trunk', effect.target, { DESKLINE_TRUNK: effect.trunk ?? '' });
        else await deps.telephony.continueInDialplan(channelId, 'deskline-transfer', effect.target);
        return { type: 'effect-done', id: effect.id };
      } catch (error) {
        return failed('TRANSFER_FAILED', (error as Error).message);
      }
    case 'callback': {
      const requestedAt = deps.now();
      await deps.store.section('callbacks').batch([
        { type: 'put', key: `request!${String(requestedAt).padStart(13, '0')}!${callId}`, value: { callId, number: effect.number, requestedAt, status: 'pending' } },
      ]);
      return { type: 'effect-done', id: effect.id, detail: { number: effect.number } };
    }
  }
}
