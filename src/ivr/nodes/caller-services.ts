// Nodes that serve the caller without an agent: voicemail, callback request, survey.
import { z } from 'zod';
import type { PromptRef } from '../flow-types.ts';
import type { NodeKind, Runtime } from '../runtime.ts';
import { ask, asked, retry } from './ask.ts';
import { base, checkPrompts, checkTemplate, edges, nodeId, prompts, seconds } from './common.ts';

type Loose<T> = T & Record<string, unknown>;
const key = z.string().regex(/^[0-9*#]$/);

interface VoicemailNode { kind: 'voicemail'; prompts: PromptRef[]; maxSeconds: number; beep: boolean; confirm?: { prompts: PromptRef[]; keepKey: string; rerecordKey: string }; next: string; onError?: string }

function record(n: VoicemailNode, rt: Runtime): void {
  rt.setLocal('phase', 'recording');
  rt.request({ type: 'record', id: rt.requestId(`rec${rt.local('take', 1)}`), maxSeconds: n.maxSeconds, beep: n.beep, terminateOn: '#' });
}

function keep(n: VoicemailNode, rt: Runtime): void {
  const recording = rt.local('recording', '');
  rt.note('voicemail', { recording, durationSeconds: rt.local('duration', 0) });
  rt.setVar('voicemail', recording);
  rt.goto(n.next);
}

export const voicemail: NodeKind<Loose<VoicemailNode>> = {
  kind: 'voicemail',
  schema: z.object({
    kind: z.literal('voicemail'), ...base,
    prompts, maxSeconds: z.number().int().min(5).max(600).default(120), beep: z.boolean().default(true),
    confirm: z.object({ prompts: prompts.min(1), keepKey: key.default('1'), rerecordKey: key.default('2') }).strict().optional(),
    next: nodeId, onError: nodeId.optional(),
  }).strict(),
  edges: (n) => edges([[['next'], n.next], [['onError'], n.onError]]),
  waits: () => true,
  check: (n, ctx, path) => [...checkPrompts(n.prompts, ctx, [...path, 'prompts']), ...checkPrompts(n.confirm?.prompts, ctx, [...path, 'confirm', 'prompts'])],
  enter(n, rt) {
    if (n.prompts.length) rt.play(n.prompts, 'greeting');
    else record(n, rt);
  },
  on(n, rt, event) {
    const phase = rt.local<string>('phase', 'greeting');
    if (event.type === 'play-done' && phase === 'greeting') record(n, rt);
    else if (event.type === 'record-done') {
      if (event.failed) return rt.fail('IVR_RECORD_FAILED', `recording ${event.name} failed`);
      rt.callerActed();
      rt.setLocal('recording', event.name);
      rt.setLocal('duration', event.durationSeconds);
      if (!n.confirm) return keep(n, rt);
      rt.setLocal('phase', 'confirm');
      rt.play(n.confirm.prompts, 'confirm');
    } else if (event.type === 'play-done' && phase === 'confirm') rt.timer('input', 10);
    else if (event.type === 'timeout' && phase === 'confirm') keep(n, rt);
    else if (event.type === 'digit' && phase === 'confirm' && n.confirm) {
      if (event.digit === n.confirm.keepKey) keep(n, rt);
      else if (event.digit === n.confirm.rerecordKey) {
        rt.stopPlay();
        rt.clearTimer('input');
        rt.note('rerecord');
        rt.setLocal('take', rt.local('take', 1) + 1);
        record(n, rt);
      }
    } else if (event.type === 'effect-failed') rt.fail(event.code, event.message);
  },
};

interface CallbackNode { kind: 'callback'; prompts: PromptRef[]; number: string; acceptKey: string; timeoutSeconds: number; confirmPrompts?: PromptRef[]; next: string; onDecline: string; onError?: string }

export const callback: NodeKind<Loose<CallbackNode>> = {
  kind: 'callback',
  schema: z.object({
    kind: z.literal('callback'), ...base,
    prompts: prompts.min(1), number: z.string().max(200).default('${caller.number}'), acceptKey: key.default('1'),
    timeoutSeconds: seconds(60).default(6), confirmPrompts: prompts.optional(), next: nodeId, onDecline: nodeId, onError: nodeId.optional(),
  }).strict(),
  edges: (n) => edges([[['next'], n.next], [['onDecline'], n.onDecline], [['onError'], n.onError]]),
  waits: () => true,
  check: (n, ctx, path) => [...checkPrompts(n.prompts, ctx, [...path, 'prompts']), ...checkPrompts(n.confirmPrompts, ctx, [...path, 'confirmPrompts']), ...checkTemplate(n.number, [...path, 'number'])],
  enter: (n, rt) => rt.play(n.prompts, 'ask'),
  on(n, rt, event) {
    if (event.type === 'play-done' && rt.local<string>('phase', 'ask') === 'ask') rt.timer('input', n.timeoutSeconds);
    else if (event.type === 'play-done') rt.goto(n.next);
    else if (event.type === 'timeout') rt.goto(n.onDecline);
    else if (event.type === 'digit' && rt.local<string>('phase', 'ask') === 'ask') {
      rt.note('input', { digit: event.digit });
      if (event.digit !== n.acceptKey) return rt.goto(n.onDecline);
      rt.stopPlay();
      rt.clearTimer('input');
      const number = rt.render(n.number);
      if (!/^\+?[0-9]{3,20}$/.test(number)) return rt.fail('IVR_BAD_CALLBACK_NUMBER', `cannot call back ${JSON.stringify(number)}`);
      rt.setLocal('phase', 'requested');
      rt.setLocal('number', number);
      rt.request({ type: 'callback', id: rt.requestId('callback'), number });
    } else if (event.type === 'effect-done') {
      rt.note('callback', { number: rt.local('number', '') });
      rt.setLocal('phase', 'confirm');
      if (n.confirmPrompts?.length) rt.play(n.confirmPrompts, 'confirm');
      else rt.goto(n.next);
    } else if (event.type === 'effect-failed') rt.fail(event.code, event.message);
  },
};

interface SurveyNode { kind: 'survey'; question: string; prompts: PromptRef[]; timeoutSeconds: number; retries: number; invalidPrompts?: PromptRef[]; noInputPrompts?: PromptRef[]; thanksPrompts?: PromptRef[]; next: string }

export const survey: NodeKind<Loose<SurveyNode>> = {
  kind: 'survey',
  schema: z.object({
    kind: z.literal('survey'), ...base,
    question: z.string().regex(/^[a-z0-9_-]{1,32}$/).default('csat'), prompts: prompts.min(1),
    timeoutSeconds: seconds(60).default(6), retries: z.number().int().min(0).max(5).default(1),
    invalidPrompts: prompts.optional(), noInputPrompts: prompts.optional(), thanksPrompts: prompts.optional(), next: nodeId,
  }).strict(),
  edges: (n) => edges([[['next'], n.next]]),
  waits: () => true,
  check: (n, ctx, path) => ['prompts', 'invalidPrompts', 'noInputPrompts', 'thanksPrompts'].flatMap((f) => checkPrompts(n[f] as PromptRef[] | undefined, ctx, [...path, f])),
  enter: (n, rt) => ask(n, rt),
  on(n, rt, event) {
    const record = (score: number | null) => {
      rt.note('survey', { question: n.question, score });
      if (score !== null) rt.setVar(`survey_${n.question}`, score);
      if (score !== null && n.thanksPrompts?.length) {
        rt.stopPlay();
        rt.clearTimer('input');
        rt.setLocal('phase', 'thanks');
        rt.play(n.thanksPrompts, 'thanks');
      } else rt.goto(n.next);
    };
    if (rt.local<string>('phase', 'ask') === 'thanks') {
      if (event.type === 'play-done') rt.goto(n.next);
      return;
    }
    if (event.type === 'play-done') asked(n, rt);
    else if (event.type === 'timeout') retry(n, rt, 'no-input', () => record(null));
    else if (event.type === 'digit') {
      if (/^[1-5]$/.test(event.digit)) record(Number(event.digit));
      else retry(n, rt, 'invalid-input', () => record(null));
    }
  },
};
