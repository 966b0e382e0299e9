// The IO behind a flow's outside requests. Each returns the IVR event that answers the request.
import type { IvrEffect, IvrEvent, HttpRequestEffect, KnowledgeResult } from '../ivr/ivr-types.ts';
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

/** Hears the caller's next utterance on a call (live transcription underneath). */
export interface SpeechListener {
  /** The caller's next turn as text; '' when they say nothing within the timeout or the call ends. */
  listen(callId: string, options: { timeoutMs: number; language: string }): Promise<{ text: string; confidence: number; alternatives?: string[] }>;
}

/** Looks a caller's question up in the published knowledge base. */
export interface KnowledgeLookup {
  /** `alternatives`: other readings of the same words by the recognizer; the surest match of all wins. */
  answer(text: string, language: string, limit: number, alternatives?: string[]): Promise<KnowledgeResult>;
}

export interface OutsideDeps {
  telephony: Telephony;
  store: Store;
  now: () => number;
  /** Present when a speech engine is set up for calls. */
  speech?: SpeechListener;
  /** Present when the knowledge capability is running. */
  knowledge?: KnowledgeLookup;
}

export async function performOutside(
  callId: string,
  channelId: string,
  effect: Extract<IvrEffect, { type: 'speech' | 'knowledge' | 'transfer' | 'callback' }>,
  deps: OutsideDeps,
): Promise<IvrEvent> {
  const failed = (code: string, message: string): IvrEvent => ({ type: 'effect-failed', id: effect.id, code, message });
  switch (effect.type) {
    case 'speech': {
      if (!deps.speech) return failed('SPEECH_NOT_AVAILABLE', 'no speech engine is configured for calls on this appliance');
      const heard = await deps.speech.listen(callId, { timeoutMs: effect.timeoutSeconds * 1000, language: effect.language });
      return { type: 'speech-result', id: effect.id, text: heard.text, confidence: heard.confidence, ...(heard.alternatives?.length ? { alternatives: heard.alternatives } : {}) };
    }
    case 'knowledge':
      if (!deps.knowledge) return failed('KNOWLEDGE_NOT_AVAILABLE', 'no knowledge base is running on this appliance');
      return { type: 'knowledge-result', id: effect.id, result: await deps.knowledge.answer(effect.text, effect.language, effect.limit, effect.alternatives) };
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
