// One finished call, reduced to the facts reports count: its queue legs (waits and how each
// ended), its agent conversations (talk and wrap-up), where it went in its flow, the bot's part,
// repeat caller, survey score. Pure: the call record and its trail in, facts out.
//
// Trail entries read (written by their owners; keep in step with them):
//   'queue'                 src/ivr/nodes/handoff.ts — the flow hands the caller to a queue: a leg starts
//   'queue-overflow'        the leg ends overflowed; with `to: 'queue:X'` (src/queue/queue-service.ts,
//                           overflow into another queue) a leg in X starts at once
//   'transfer-returned'     a transfer nobody took goes back to queue `to`: the leg ends overflowed, one in `to` starts
//   'queue-exit'            the caller pressed the queue node's exit key: abandoned (the ACD counts it so too)
//   'queue-callback-kept'   the caller left a callback place: the leg ends as a callback
//   'agent-connected'       src/queue/queue-service.ts — caller and agent bridged: the open leg is
//                           answered (its wait ends here) and a conversation with `agentId` starts
//   'transfer'              mode 'blind': the conversation ends (transferred); to a queue or an agent
//                           (their personal queue '@agent:ID') a new leg starts. Mode 'consult' changes nothing.
//   'transfer-completed'    attended transfer done: the conversation ends (transferred); to 'agent:ID'
//                           a conversation with that agent starts (no queue leg, no wrap-up)
//   'ended'                 src/calls/call-step.ts — open legs end abandoned (or dropped when the
//                           system lost the call), open conversations end
//   'node-enter'            src/ivr/runtime.ts — the flow funnel
//   'repeat-caller'         src/queue/queue-service.ts — the caller called within the repeat window
//   'survey'                src/ivr/nodes/caller-services.ts — `{ question, score: 1…5 | null }`; the
//                           question 'csat' is the CSAT, the last answered one counts
//   faq-* / queue / agent-connected   the bot, through bot-facts.ts (knowledge analytics' definitions)
//
// Definitions:
//   wait         from the leg's start to the bridge with an agent ('agent-connected'): what the
//                caller waited to hear someone. It includes the agent's whisper (2–4 s when on);
//                the wallboard counts to the agent's answer instead.
//   talk         'agent-connected' to the transfer or the end of the call (a consultation hold
//                counts: the agent is busy with the call).
//   wrap-up      the queue's configured wrap-up time (context.wrapUpMs) after each conversation
//                reached through a queue: the ACD holds the agent for exactly that long.
// The late 'queue-abandoned' note (written after the call ended) adds nothing: the abandon is
// already known from 'ended'.
import type { CallOutcome, CallState, TrailEntry } from '../calls/call-types.ts';
import { isAnonymous } from '../calls/repeat-callers.ts';
import { botFactsOf, type BotFacts } from './bot-facts.ts';

export type LegResult = 'answered' | 'abandoned' | 'overflowed' | 'callback' | 'dropped';

export interface QueueLegFacts {
  queue: string;
  /** The skills the queue asks for (base skills), from the site's queue settings. */
  skills: string[];
  waitMs: number;
  result: LegResult;
  /** Who answered (answered legs only). */
  agentId?: string;
}

export interface ConversationFacts {
  agentId: string;
  /** The queue the caller was answered from; absent for a consulted agent's part after an attended transfer. */
  queue?: string;
  skills: string[];
  talkMs: number;
  wrapMs: number;
  /** The conversation ended with a transfer rather than a hang-up. */
  transferred: boolean;
}

export interface FlowFacts {
  flowId: string;
  /** Nodes entered, each once, in the order first entered. A sub-flow's nodes are 'subflowId/node'. */
  reached: string[];
  /** The node the caller hung up at while the flow was still running (queue nodes included). */
  droppedAt?: string;
}

export interface CallFacts {
  callId: string;
  startedAt: number;
  endedAt: number;
  outcome?: CallOutcome;
  flow?: FlowFacts;
  legs: QueueLegFacts[];
  conversations: ConversationFacts[];
  bot?: BotFacts;
  repeatCaller: boolean;
  /** The caller's survey score, 1–5. */
  csat?: number;
}

/** What the trail does not say: the site's queue settings and the repeat-caller lookup. */
export interface FactsContext {
  /** The skills a queue requires (its base skills); none when unknown. */
  skillsOf?(queueId: string): readonly string[];
  /** The wrap-up a queue gives its agents after a call, in ms; 0 when unknown. */
  wrapUpMs?(queueId: string): number;
  /** The caller called within the repeat window (when the trail has no 'repeat-caller' entry). */
  repeatCaller?: boolean;
}

const PERSONAL_QUEUE = '@agent:';
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

interface OpenLeg { queue: string; startAt: number }
interface OpenConversation { agentId: string; queue?: string; startAt: number; viaQueue: boolean }

export function rollupOf(call: CallState, trail: readonly TrailEntry[], context: FactsContext = {}): CallFacts {
  const topFlow = call.flow?.flowId;
  const skillsOf = (queue: string | undefined) => (queue === undefined ? [] : (context.skillsOf?.(queue) ?? []).filter((s) => !s.startsWith('@')));
  const legs: QueueLegFacts[] = [];
  const conversations: ConversationFacts[] = [];
  const reached = new Set<string>();
  let lastNode: string | undefined;
  let leg: OpenLeg | undefined;
  let talking: OpenConversation | undefined;
  let endedAt = call.endedAt;
  let repeatCaller = context.repeatCaller === true;
  let csat: number | undefined;

  const closeLeg = (at: number, result: LegResult, agentId?: string) => {
    if (!leg) return;
    legs.push({ queue: leg.queue, skills: skillsOf(leg.queue), waitMs: Math.max(0, at - leg.startAt), result, ...(agentId ? { agentId } : {}) });
    leg = undefined;
  };
  const openLeg = (queue: string | undefined, at: number) => {
    if (leg) closeLeg(at, 'overflowed');
    if (queue) leg = { queue, startAt: at };
  };
  const closeConversation = (at: number, transferred: boolean) => {
    if (!talking) return;
    const { agentId, queue, viaQueue } = talking;
    const wrapMs = viaQueue && queue !== undefined ? Math.max(0, context.wrapUpMs?.(queue) ?? 0) : 0;
    conversations.push({ agentId, ...(queue !== undefined ? { queue } : {}), skills: skillsOf(queue), talkMs: Math.max(0, at - talking.startAt), wrapMs, transferred });
    talking = undefined;
  };

  for (const entry of trail) {
    const at = entry.at;
    switch (entry.type) {
      case 'queue':
        openLeg(str(entry.queue), at);
        break;
      case 'queue-overflow': {
        closeLeg(at, 'overflowed');
        const to = str(entry.to);
        if (to?.startsWith('queue:')) openLeg(to.slice('queue:'.length), at);
        break;
      }
      case 'transfer-returned':
        closeLeg(at, 'overflowed');
        openLeg(str(entry.to), at);
        break;
      case 'queue-exit':
        closeLeg(at, 'abandoned');
        break;
      case 'queue-callback-kept':
        closeLeg(at, 'callback');
        break;
      case 'agent-connected': {
        const agentId = str(entry.agentId);
        if (!agentId) break;
        const queue = leg?.queue ?? str(entry.queue);
        closeLeg(at, 'answered', agentId);
        closeConversation(at, false);
        talking = { agentId, ...(queue !== undefined ? { queue } : {}), startAt: at, viaQueue: true };
        break;
      }
      case 'transfer': {
        if (entry.mode !== 'blind') break;
        closeConversation(at, true);
        const to = entry.to as { kind?: unknown; queueId?: unknown; agentId?: unknown } | undefined;
        if (to?.kind === 'queue') openLeg(str(to.queueId), at);
        else if (to?.kind === 'agent' && str(to.agentId)) openLeg(`${PERSONAL_QUEUE}${to.agentId}`, at);
        break;
      }
      case 'transfer-completed': {
        const queue = talking?.queue;
        closeConversation(at, true);
        const to = str(entry.to);
        if (to?.startsWith('agent:')) talking = { agentId: to.slice('agent:'.length), ...(queue !== undefined ? { queue } : {}), startAt: at, viaQueue: false };
        break;
      }
      case 'ended':
        endedAt ??= at;
        break;
      case 'node-enter': {
        const node = str(entry.node);
        if (!node) break;
        const flow = str(entry.flow);
        lastNode = flow === undefined || flow === topFlow ? node : `${flow}/${node}`;
        reached.add(lastNode);
        break;
      }
      case 'repeat-caller':
        repeatCaller = true;
        break;
      case 'survey':
        if (entry.question === 'csat' && Number.isInteger(entry.score) && (entry.score as number) >= 1 && (entry.score as number) <= 5) csat = entry.score as number;
        break;
    }
  }

  const end = endedAt ?? trail.at(-1)?.at ?? call.startedAt;
  closeLeg(end, call.endedBy === 'system' ? 'dropped' : 'abandoned');
  closeConversation(end, false);
  // A withheld number is never a repeat caller (as src/calls/repeat-callers.ts decides).
  if (isAnonymous(call.caller.number)) repeatCaller = false;

  const flow = topFlow === undefined ? undefined : {
    flowId: topFlow,
    reached: [...reached],
    ...(call.ivr && call.ivr.finished === undefined && call.endedBy === 'caller' && lastNode !== undefined ? { droppedAt: lastNode } : {}),
  };
  const bot = botFactsOf(trail);
  return {
    callId: call.callId,
    startedAt: call.startedAt,
    endedAt: end,
    ...(call.outcome ? { outcome: call.outcome } : {}),
    ...(flow ? { flow } : {}),
    legs,
    conversations,
    ...(bot ? { bot } : {}),
    repeatCaller,
    ...(csat !== undefined ? { csat } : {}),
  };
}
