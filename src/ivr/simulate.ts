// `deskline flows simulate`: the real interpreter against a scripted caller, on a virtual clock,
// without Asterisk. Prompts "play" instantly; the caller answers each question with the next
// scripted input (keys, or "-" to stay silent); outside requests are answered as configured.
import type { Value } from './expression/index.ts';
import type { FlowDocument, PromptRef } from './flow-types.ts';
import { handleIvr, startIvr } from './interpreter.ts';
import type { CallFacts, IvrEffect, IvrEvent, IvrState, IvrTrail, KnowledgeResult } from './ivr-types.ts';
import type { FlowLookup } from './runtime.ts';

export interface SimulationScript {
  /** Each entry is keys pressed in a row ("1", "1234#"); "-" means stay silent when asked. */
  digits: string[];
  /** Answers to speech questions, in order; with `alternatives`, as a recognizer that heard the words two ways. */
  say: (string | { text: string; alternatives: string[] })[];
  at: number;
  vars?: Record<string, Value>;
  callerNumber?: string;
  dialed?: string;
  timezone?: string;
  /** What a queue does with the caller: an agent answers (default), it overflows, the caller waits (for keys), or queues are unavailable. */
  queue?: 'answered' | 'overflow' | 'wait' | 'unavailable';
  /** How HTTP nodes are answered: really (fetch), or with a fixed status/body. */
  http: { mode: 'live' } | { mode: 'fixed'; status: number; body: unknown };
  /** How the knowledge base answers the FAQ bot (default: there is none). */
  knowledge?: (text: string, language: string, alternatives?: string[]) => KnowledgeResult | Promise<KnowledgeResult>;
}

export interface SimulationResult {
  path: string[];
  prompts: { node: string; language: string; prompts: PromptRef[] }[];
  vars: Record<string, Value>;
  outcome: string;
  trail: (IvrTrail & { atMs: number })[];
  requests: IvrEffect[];
}

const maxEvents = 2000;

async function answerHttp(effect: Extract<IvrEffect, { type: 'http' }>, http: SimulationScript['http']): Promise<IvrEvent> {
  if (http.mode === 'fixed') return { type: 'http-result', id: effect.id, status: http.status, body: http.body, ms: 0 };
  const started = performance.now();
  try {
    const response = await fetch(effect.url, { method: effect.method, headers: effect.headers, body: effect.body, signal: AbortSignal.timeout(effect.timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { type: 'http-result', id: effect.id, status: response.status, body, ms: performance.now() - started };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${effect.timeoutMs} ms` : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    return { type: 'http-result', id: effect.id, status: 0, error: reason, ms: performance.now() - started };
  }
}

export async function simulateFlow(flows: FlowLookup, flow: FlowDocument, version: number, script: SimulationScript): Promise<SimulationResult> {
  const facts: CallFacts = { callerNumber: script.callerNumber ?? '5550100', callerName: 'Simulated caller', dialed: script.dialed ?? '4000', callId: 'simulated', timezone: script.timezone ?? 'UTC' };
  let now = script.at;
  const digits = [...script.digits];
  const says = [...script.say];
  const timers = new Map<string, number>();
  const events: IvrEvent[] = [];
  const result: SimulationResult = { path: [], prompts: [], vars: {}, outcome: 'still in the flow', trail: [], requests: [] };
  let step = startIvr(flows, flow.id, version, facts, now);
  if (script.vars) step = { ...step, state: { ...step.state, vars: { ...step.state.vars, ...script.vars } } };
  let state: IvrState = step.state;

  const absorb = async (effects: IvrEffect[], trail: IvrTrail[], at: IvrState) => {
    for (const entry of trail) {
      result.trail.push({ ...entry, atMs: now - script.at });
      if (entry.type === 'node-enter') result.path.push(String(entry.node));
    }
    for (const effect of effects) {
      switch (effect.type) {
        case 'play':
          result.prompts.push({ node: at.nodeId, language: effect.language, prompts: effect.prompts });
          events.push({ type: 'play-done', tag: effect.tag, failed: false });
          break;
        case 'stop-play':
          break;
        case 'set-timer':
          timers.set(effect.name, now + effect.ms);
          break;
        case 'clear-timer':
          timers.delete(effect.name);
          break;
        case 'http':
          result.requests.push(effect);
          events.push(await answerHttp(effect, script.http));
          break;
        case 'record':
          result.requests.push(effect);
          events.push({ type: 'record-done', id: effect.id, name: 'simulated-voicemail', durationSeconds: 5, failed: false });
          break;
        case 'speech': {
          result.requests.push(effect);
          const said = says.shift();
          const heard = typeof said === 'string' ? { text: said } : said;
          events.push(heard === undefined ? { type: 'speech-result', id: effect.id, text: '', confidence: 0 } : { type: 'speech-result', id: effect.id, confidence: 1, ...heard });
          break;
        }
        case 'knowledge':
          result.requests.push(effect);
          events.push(script.knowledge
            ? { type: 'knowledge-result', id: effect.id, result: await script.knowledge(effect.text, effect.language, effect.alternatives) }
            : { type: 'effect-failed', id: effect.id, code: 'KNOWLEDGE_NOT_AVAILABLE', message: 'no knowledge base in this simulation' });
          break;
        case 'queue': {
          result.requests.push(effect);
          const mode = script.queue ?? 'answered';
          if (mode === 'unavailable') events.push({ type: 'effect-failed', id: effect.id, code: 'QUEUE_NOT_AVAILABLE', message: 'queues are not available on this simulated site' });
          else if (mode === 'answered') events.push({ type: 'queue-status', id: effect.id, status: 'connected', detail: { agentId: 'simulated' } });
          else if (mode === 'overflow') events.push({ type: 'queue-status', id: effect.id, status: 'overflow', detail: { reason: 'max-wait' } });
          break;
        }
        case 'queue-action':
          result.requests.push(effect);
          if (effect.action === 'callback') events.push({ type: 'queue-status', id: effect.id, status: 'callback-kept', detail: { number: facts.callerNumber } });
          break;
        case 'transfer':
        case 'callback':
          result.requests.push(effect);
          events.push({ type: 'effect-done', id: effect.id });
          break;
        case 'hangup':
          break;
      }
    }
  };

  await absorb(step.effects, step.trail, state);
  for (let count = 0; count < maxEvents && !state.finished; count++) {
    let event = events.shift();
    // A caller waiting in a queue presses keys whenever the script has some.
    if (!event && state.pending?.includes(':queue:') && digits[0] !== undefined && digits[0] !== '-') {
      for (const key of digits.shift()!) events.push({ type: 'digit', digit: key });
      continue;
    }
    if (!event) {
      // Nothing pending: the flow waits for the caller. Answer with the next scripted keys, or let the earliest timer fire.
      const next = digits[0];
      if (next !== undefined && timers.size > 0 && next !== '-') {
        digits.shift();
        for (const key of next) events.push({ type: 'digit', digit: key });
        continue;
      }
      if (next === '-') digits.shift();
      const [name, at] = [...timers].sort((a, b) => a[1] - b[1])[0] ?? [];
      if (name === undefined) break;
      timers.delete(name);
      now = Math.max(now, at!);
      event = { type: 'timeout', name };
    }
    if (event.type === 'digit') now += 300;
    step = handleIvr(state, event, flows, facts, now);
    state = step.state;
    await absorb(step.effects, step.trail, state);
  }
  result.vars = state.vars;
  result.outcome = state.finished ?? (events.length === 0 ? 'waiting for the caller (script ended)' : 'event limit reached');
  return result;
}
