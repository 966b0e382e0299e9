// The agent's screen pop: what an agent should know about the caller the moment the phone
// rings, read from the call's state and trail. Who is calling (and whether they called recently),
// what they did in the IVR (the path, what they pressed, the variables the flow set, e.g. an
// account lookup's result) and, when the voice FAQ bot handed them over, what they asked it and
// what it found. Pure: the route reads the call; this decides what to show.
import type { CallState, TrailEntry } from './call-types.ts';

export interface ScreenPop {
  callId: string;
  caller: { number: string; name?: string };
  dialed: string;
  startedAt: number;
  answeredAt?: number;
  flow?: { flowId: string; version: number };
  language?: string;
  queue?: string;
  repeat?: { recentCalls: number; windowHours: number; calls: { callId: string; startedAt: number; outcome?: string }[] };
  /** Nodes the caller went through, in order. */
  path: { flow: string | undefined; node: string; kind: string; at: number }[];
  /** Keys pressed where a node asked for them (sensitive digits stay masked). */
  inputs: { node: string; digit?: string; variable?: string; digits?: string; at: number }[];
  /** The flow's variables, without the ones a sensitive gather collected. */
  variables: Record<string, unknown>;
  bot?: {
    turns: { text: string; outcome: string; articleId?: string; confidence?: number; matches: unknown[]; at: number }[];
    handoff?: { reason: string; transcript: string[]; matches: unknown[] };
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function screenPop(state: CallState, trail: readonly TrailEntry[]): ScreenPop {
  const path: ScreenPop['path'] = [];
  const inputs: ScreenPop['inputs'] = [];
  const hidden = new Set<string>();
  const turns: NonNullable<ScreenPop['bot']>['turns'] = [];
  let handoff: NonNullable<ScreenPop['bot']>['handoff'];
  let repeat: ScreenPop['repeat'];
  let queue: string | undefined;
  for (const e of trail) {
    if (e.type === 'node-enter') path.push({ flow: str(e.flow), node: String(e.node), kind: String(e.kind), at: e.at });
    else if (e.type === 'input') {
      const digits = str(e.digits);
      const variable = str(e.variable);
      // A sensitive gather writes its digits masked: its variable is not for the screen either.
      if (variable && digits !== undefined && /^\*+$/.test(digits)) hidden.add(variable);
      inputs.push({ node: String(e.node), ...(str(e.digit) ? { digit: str(e.digit) } : {}), ...(variable ? { variable } : {}), ...(digits !== undefined ? { digits } : {}), at: e.at });
    } else if (e.type === 'faq-turn') {
      turns.push({ text: String(e.text ?? ''), outcome: String(e.outcome ?? ''), ...(str(e.articleId) ? { articleId: str(e.articleId) } : {}), ...(typeof e.confidence === 'number' ? { confidence: e.confidence } : {}), matches: Array.isArray(e.matches) ? e.matches : [], at: e.at });
    } else if (e.type === 'faq-handoff') {
      handoff = { reason: String(e.reason ?? ''), transcript: Array.isArray(e.transcript) ? e.transcript.map(String) : [], matches: Array.isArray(e.matches) ? e.matches : [] };
    } else if (e.type === 'repeat-caller') {
      const calls = Array.isArray(e.calls) ? (e.calls as { callId: string; startedAt: number; outcome?: string }[]) : [];
      repeat = { recentCalls: Number(e.recentCalls ?? calls.length), windowHours: Number(e.windowHours ?? 0), calls };
    } else if (e.type === 'agent-connected' || e.type === 'queue') {
      queue = str(e.queue) ?? queue;
    }
  }
  const variables = Object.fromEntries(Object.entries(state.ivr?.vars ?? {}).filter(([name]) => !hidden.has(name)));
  return {
    callId: state.callId,
    caller: { number: state.caller.number, ...(state.caller.name ? { name: state.caller.name } : {}) },
    dialed: state.dialed,
    startedAt: state.startedAt,
    ...(state.answeredAt !== undefined ? { answeredAt: state.answeredAt } : {}),
    ...(state.flow ? { flow: state.flow } : {}),
    ...(state.ivr ? { language: state.ivr.language } : {}),
    ...(queue ? { queue } : {}),
    ...(repeat ? { repeat } : {}),
    path, inputs, variables,
    ...(turns.length || handoff ? { bot: { turns, ...(handoff ? { handoff } : {}) } } : {}),
  };
}
