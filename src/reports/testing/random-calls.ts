// Random finished calls over a made-up site, for the brute-force property test and the 1M-call
// benchmark: flows with IVR nodes (some callers hang up there), a voice FAQ bot, queues with
// skills and wrap-up, answers, abandons, overflows, exits, callbacks, transfers, surveys, repeat
// and withheld callers. Seeded: the same seed gives the same calls.
import type { FactsContext } from '../call-facts.ts';
import { scriptedCall, type ScriptedCall, type Step } from './scripted-call.ts';

export interface Site {
  queues: { id: string; skills: string[]; wrapUpSeconds: number }[];
  agents: string[];
  flows: { id: string; nodes: string[]; bot: boolean }[];
}

export function demoSite(scale: { queues?: number; agents?: number } = {}): Site {
  const skills = ['billing', 'tech', 'sales', 'french', 'mandarin', 'vip', 'retention', 'mobile'];
  const queueCount = scale.queues ?? 8;
  return {
    queues: Array.from({ length: queueCount }, (_, i) => ({
      id: ['billing', 'tech', 'sales', 'support-fr', 'support-zh', 'vip', 'retention', 'mobile'][i] ?? `queue-${i}`,
      skills: [skills[i % skills.length]!, ...(i % 3 === 0 ? [skills[(i + 3) % skills.length]!] : [])],
      wrapUpSeconds: [0, 10, 30][i % 3]!,
    })),
    agents: Array.from({ length: scale.agents ?? 60 }, (_, i) => `agent-${String(i).padStart(3, '0')}`),
    flows: [
      { id: 'main', nodes: ['welcome', 'hours', 'menu', 'account', 'pin', 'menu-billing', 'menu-tech'], bot: false },
      { id: 'faq', nodes: ['welcome', 'bot', 'menu'], bot: true },
      { id: 'sales', nodes: ['welcome', 'menu', 'promo'], bot: false },
      { id: 'after-hours', nodes: ['closed', 'voicemail'], bot: false },
    ],
  };
}

export function siteContext(site: Site): Required<Pick<FactsContext, 'skillsOf' | 'wrapUpMs'>> {
  const queues = new Map(site.queues.map((q) => [q.id, q]));
  return { skillsOf: (id) => queues.get(id)?.skills ?? [], wrapUpMs: (id) => (queues.get(id)?.wrapUpSeconds ?? 0) * 1000 };
}

/** Deterministic uniform [0, 1). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const QUESTIONS = [
  'how do I change my billing address', 'change billing address', 'can I pay with paypal', 'why is my bill so high', 'cancel my contract',
  'is there an outage in my area', 'my internet is slow', 'how do I port my number', 'roaming charges in france', 'reset my voicemail pin',
  '我的账单为什么这么高', '怎么取消合同', '可以用支付宝付款吗', '网络很慢怎么办', 'upgrade my phone', 'family plan discount', 'lost my sim card',
];

export function randomCall(rnd: () => number, id: string, startedAt: number, site: Site): ScriptedCall {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const seconds = (mean: number) => Math.round(-Math.log(1 - rnd()) * mean * 10) / 10;
  const steps: Step[] = [];
  const flow = pick(site.flows);
  const caller = rnd() < 0.02 ? 'anonymous' : `+8613${String(Math.floor(rnd() * 40_000)).padStart(9, '0')}`;
  if (rnd() < 0.15) steps.push({ repeat: true });
  const script = { id, startedAt, caller, flow: flow.id, steps } as Parameters<typeof scriptedCall>[0];
  const end = (endedBy: 'caller' | 'deskline' | 'system', finished?: 'hangup' | 'queue') => scriptedCall({ ...script, endedBy, ...(finished ? { finished } : {}) });

  // The flow: a few nodes, some callers hang up on the way.
  const nodeCount = 1 + Math.floor(rnd() * flow.nodes.length);
  for (let i = 0; i < nodeCount; i++) {
    steps.push({ node: i === 0 ? flow.nodes[0]! : pick(flow.nodes), kind: 'menu' }, { wait: 2 + seconds(6) });
    if (rnd() < 0.04) return end('caller');
  }
  if (rnd() < 0.005) return end('system');
  if (flow.bot) {
    steps.push({ node: 'bot', kind: 'faq-bot' });
    const turns = 1 + Math.floor(rnd() * 3);
    let helped = false;
    for (let i = 0; i < turns; i++) {
      const article = `kb-${Math.floor(rnd() * 30)}`;
      if (rnd() < 0.6) {
        steps.push({ entry: { type: 'faq-turn', text: pick(QUESTIONS), language: 'en', outcome: 'answered', articleId: article, confidence: 0.8, matches: [{ id: article, confidence: 0.8 }] } });
        helped = rnd() < 0.7;
        steps.push({ entry: { type: 'faq-feedback', articleId: article, helped } });
      } else {
        const text = pick(QUESTIONS);
        steps.push({ entry: { type: 'faq-turn', text: rnd() < 0.3 ? `${text} please` : text, outcome: 'low-confidence', matches: [{ id: article, confidence: Math.round(rnd() * 40) / 100 }, { id: `kb-${Math.floor(rnd() * 30)}`, confidence: 0.1 }] } });
      }
      steps.push({ wait: 5 + seconds(10) });
    }
    if (helped && rnd() < 0.7) {
      steps.push({ entry: { type: 'faq-done' } });
      return end('deskline', 'hangup');
    }
    if (rnd() < 0.2) return end('caller');
    steps.push({ entry: { type: 'faq-handoff', reason: 'low-confidence', transcript: [], matches: [] } });
  } else if (rnd() < 0.1) {
    return end('deskline', 'hangup');
  }

  // The queue.
  let queue = pick(site.queues).id;
  steps.push({ node: 'queue', kind: 'queue' }, { queue });
  for (let legs = 0; ; legs++) {
    // Mostly short waits, a few very long ones (past the histogram's 10- and 30-minute ranges).
    const wait = rnd() < 0.01 ? 600 + rnd() * 3600 : seconds(25);
    steps.push({ wait });
    const r = rnd();
    if (r < 0.12) return end('caller');
    if (r < 0.14) {
      steps.push({ exit: queue }, { node: 'voicemail', kind: 'record' });
      return end('deskline', 'hangup');
    }
    if (r < 0.17) {
      steps.push({ callbackKept: queue });
      return end('deskline', 'hangup');
    }
    if (r < 0.21 && legs < 2) {
      const to = pick(site.queues).id;
      steps.push({ overflow: queue, to });
      queue = to;
      continue;
    }
    if (r < 0.215) return end('system');
    steps.push({ agent: pick(site.agents), queue }, { wait: 20 + seconds(240) });
    const after = rnd();
    if (after < 0.04 && legs < 2) {
      queue = pick(site.queues).id;
      steps.push({ transfer: { kind: 'queue', queueId: queue } });
      continue;
    }
    if (after < 0.06) steps.push({ consult: pick(site.agents), complete: rnd() < 0.7 }, { wait: 10 + seconds(60) });
    if (after > 0.8) steps.push({ survey: 1 + Math.min(4, Math.floor(rnd() * rnd() * 6 + rnd() * 2)) });
    return end(rnd() < 0.5 ? 'caller' : 'deskline', 'queue');
  }
}
