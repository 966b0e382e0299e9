// Which follow-ups a finished call leaves behind. Pure: the call record, its trail and the site's
// defaults in, drafts out. A draft's id is derived from the call and the kind, so handing the same
// call over again (a replay after a crash, a late note) never makes a second one.
//
// Trail entries read (written by their owners; keep in step with them):
//   'voicemail'            src/ivr/nodes/caller-services.ts — a message was kept: `recording` (Asterisk's
//                          name), `durationSeconds`
//   'callback'             src/ivr/nodes/caller-services.ts — the caller asked to be called back at
//                          `number`; the request waits in the `callbacks` section, which nothing dials:
//                          people must, so it becomes a follow-up at once
//   'callback-failed'      the queue gave a kept callback place up (not answered; the ACD does not dial
//                          again, src/queue/queue-machine.ts). On the call's trail in agent-first mode;
//                          the ACD's own trail entry (with `callId`, `queueId`) is passed in as `extra`
//   'queue', 'queue-callback-kept'   the queue the caller was in (for the skill group)
//   'recording-stored'     a recording of the call in the recording store: `recordingId`
//   'transcript'           transcript lines exist
//   faq-* / queue / agent-connected  the bot's outcome, by the one fold (botFactsOf → BotCall)
import { createHash } from 'node:crypto';
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import { isAnonymous } from '../calls/repeat-callers.ts';
import { botFactsOf } from '../reports/bot-facts.ts';
import type { FollowupSettings, KindDefaults } from './followup-settings.ts';
import type { Assignee, FollowupDraft, FollowupKind, FollowupLinks } from './followup-types.ts';

/** The one id a call's follow-up of a kind can have. */
export function followupIdFor(callId: string, kind: FollowupKind): string {
  return `${kind}-${createHash('sha256').update(`${kind}\n${callId}`).digest('hex').slice(0, 24)}`;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const TEXT = {
  en: {
    voicemail: (from: string) => `Voicemail from ${from}`,
    voicemailNote: (seconds: number, count: number) => `${count > 1 ? `${count} messages` : 'A message'} of ${seconds} s in total. Listen, then call back.`,
    callback: (to: string) => `Call back ${to}`,
    callbackAsked: (to: string) => `The caller asked to be called back at ${to}.`,
    callbackFailed: (to: string, reason: string) => `The queue's callback to ${to} failed (${reason}) and is not dialled again.`,
    botFailure: (from: string) => `Bot could not help ${from}`,
    botNote: (questions: string[]) => (questions.length ? `Questions the bot could not answer: ${questions.map((q) => `“${q}”`).join('; ')}` : 'The bot could not answer and the caller was not handed to an agent.'),
    anonymous: 'a withheld number',
  },
  'zh-CN': {
    voicemail: (from: string) => `来自 ${from} 的语音留言`,
    voicemailNote: (seconds: number, count: number) => `${count > 1 ? `${count} 条留言` : '一条留言'}，共 ${seconds} 秒。请收听后回电。`,
    callback: (to: string) => `回电 ${to}`,
    callbackAsked: (to: string) => `来电者请求回电至 ${to}。`,
    callbackFailed: (to: string, reason: string) => `排队回拨 ${to} 失败（${reason}），不会再次拨打。`,
    botFailure: (from: string) => `机器人未能帮助 ${from}`,
    botNote: (questions: string[]) => (questions.length ? `机器人未能回答的问题：${questions.map((q) => `「${q}」`).join('；')}` : '机器人未能回答，来电者也未转接人工。'),
    anonymous: '隐藏号码',
  },
} as const;

interface CallReading {
  voicemails: { recording: string; durationSeconds: number }[];
  /** The number an IVR callback node took down. */
  callbackAsked?: string;
  callbackFailed?: { reason: string; queue?: string; at: number };
  /** The last queue the caller was in. */
  queue?: string;
  recordingIds: string[];
  transcript: boolean;
}

function read(trail: readonly TrailEntry[]): CallReading {
  const reading: CallReading = { voicemails: [], recordingIds: [], transcript: false };
  for (const entry of trail) {
    switch (entry.type) {
      case 'voicemail': {
        const recording = str(entry.recording);
        if (recording) reading.voicemails.push({ recording, durationSeconds: Math.max(0, num(entry.durationSeconds) ?? 0) });
        break;
      }
      case 'callback':
        reading.callbackAsked = str(entry.number) ?? reading.callbackAsked;
        break;
      case 'callback-failed': {
        const queue = str(entry.queueId) ?? str(entry.queue);
        reading.callbackFailed = { reason: str(entry.reason) ?? 'failed', at: num(entry.at) ?? 0, ...(queue ? { queue } : {}) };
        if (queue) reading.queue = queue;
        break;
      }
      case 'queue':
      case 'queue-callback-kept':
        reading.queue = str(entry.queue) ?? reading.queue;
        break;
      case 'recording-stored': {
        const id = str(entry.recordingId);
        if (id && !reading.recordingIds.includes(id)) reading.recordingIds.push(id);
        break;
      }
      case 'transcript':
        reading.transcript = true;
        break;
    }
  }
  return reading;
}

function assigneeFor(defaults: KindDefaults, queue: string | undefined, settings: FollowupSettings): Assignee {
  const skill = (queue !== undefined ? settings.skillsOfQueue?.(queue).find((s) => !s.startsWith('@')) : undefined) ?? defaults.skill;
  return skill ? { skill } : null;
}

/**
 * The follow-ups a call leaves: a voicemail to answer, a callback asked for (IVR) or given up (queue),
 * and a bot failure when the bot could not help and nobody took over. The bot failure is left out
 * when the call also left a voicemail or a callback request: someone contacts the caller anyway,
 * and the questions are in that follow-up's note.
 * `extra`: entries about the call that are not on its trail (the ACD's 'callback-failed').
 */
export function followupsFromCall(call: CallState, trail: readonly TrailEntry[], settings: FollowupSettings, extra: readonly TrailEntry[] = []): FollowupDraft[] {
  const all = [...trail, ...extra];
  const reading = read(all);
  const text = TEXT[settings.locale];
  const number = isAnonymous(call.caller.number) ? '' : call.caller.number;
  const from = number || text.anonymous;
  const base = { recordingIds: reading.recordingIds, transcript: reading.transcript, callId: call.callId } satisfies FollowupLinks;
  const at = call.endedAt ?? all.at(-1)?.at ?? call.startedAt;
  const bot = botFactsOf(all);
  const botFailed = bot?.outcome === 'unresolved';
  const questions = (bot?.unmatched ?? []).map((q) => clip(q.text, 200)).slice(0, 10);
  const botNote = botFailed ? `\n${text.botNote(questions)}` : '';
  const draft = (kind: FollowupKind, defaults: KindDefaults, title: string, note: string, links: FollowupLinks, callerNumber: string, since = at): FollowupDraft => ({
    id: followupIdFor(call.callId, kind), kind, title: clip(title, 200), note: clip(note, 4000),
    assignee: assigneeFor(defaults, reading.queue, settings), priority: defaults.priority, dueAt: since + defaults.dueInMs,
    links, callerNumber, ...(reading.queue ? { queue: reading.queue } : {}),
  });

  const drafts: FollowupDraft[] = [];
  if (reading.voicemails.length) {
    const seconds = Math.round(reading.voicemails.reduce((s, v) => s + v.durationSeconds, 0));
    // One follow-up per call: a second message (re-recorded, or left twice) joins the first.
    const voicemail = reading.voicemails.at(-1)!;
    drafts.push(draft('voicemail', settings.voicemail, text.voicemail(from), text.voicemailNote(seconds, reading.voicemails.length) + botNote, { ...base, voicemail }, number));
  }
  if (reading.callbackAsked !== undefined || reading.callbackFailed) {
    const to = reading.callbackAsked ?? number;
    const notes = [
      ...(reading.callbackAsked !== undefined ? [text.callbackAsked(reading.callbackAsked)] : []),
      ...(reading.callbackFailed ? [text.callbackFailed(to || text.anonymous, reading.callbackFailed.reason)] : []),
    ];
    // A queue callback fails long after the call: due from the failure, not from the hang-up.
    drafts.push(draft('callback', settings.callback, text.callback(to || text.anonymous), notes.join('\n') + botNote, base, to, Math.max(at, reading.callbackFailed?.at ?? 0)));
  }
  if (botFailed && !drafts.length) drafts.push(draft('bot-failure', settings.botFailure, text.botFailure(from), text.botNote(questions), base, number));
  return drafts;
}
