// What a person (or a test) wants to know about one finished call, derived from its record.
import type { CallState, TrailEntry } from './call-types.ts';

export interface CallSummary {
  callId: string;
  caller: string;
  dialed: string;
  answered: boolean;
  outcome: string | undefined;
  endedBy: string | undefined;
  hangupCause: number | undefined;
  endReason: string | undefined;
  durationMs: number | undefined;
  prompts: { promptId: string; playbackId: string; startedAt?: number; finishedAt?: number; failed?: boolean }[];
  digits: { digit: string; at: number }[];
  trail: TrailEntry[];
}

export function summarizeCall(state: CallState, trail: TrailEntry[]): CallSummary {
  const prompts = new Map<string, CallSummary['prompts'][number]>();
  for (const entry of trail) {
    if (entry.type !== 'prompt-started' && entry.type !== 'prompt-finished') continue;
    const playbackId = String(entry.playbackId);
    const prompt = prompts.get(playbackId) ?? { promptId: String(entry.promptId), playbackId };
    if (entry.type === 'prompt-started') prompt.startedAt = entry.at;
    else Object.assign(prompt, { finishedAt: entry.at, failed: Boolean(entry.failed) });
    prompts.set(playbackId, prompt);
  }
  return {
    callId: state.callId,
    caller: state.caller.number,
    dialed: state.dialed,
    answered: state.answeredAt !== undefined,
    outcome: state.outcome,
    endedBy: state.endedBy,
    hangupCause: state.hangupCause,
    endReason: state.endReason,
    durationMs: state.endedAt === undefined ? undefined : state.endedAt - state.startedAt,
    prompts: [...prompts.values()],
    digits: trail.filter((e) => e.type === 'dtmf').map((e) => ({ digit: String(e.digit), at: e.at })),
    trail,
  };
}

export function formatSummary(s: CallSummary): string {
  const lines = [
    `call ${s.callId}: ${s.caller || '(no number)'} → ${s.dialed}`,
    `  answered:  ${s.answered ? 'yes' : 'no'}`,
    `  prompts:   ${s.prompts.map((p) => `${p.promptId}${p.failed ? ' (failed)' : p.finishedAt ? '' : ' (interrupted)'}`).join(', ') || 'none'}`,
    `  digits:    ${s.digits.map((d) => d.digit).join(' ') || 'none'}`,
    `  ended:     ${s.outcome ?? 'still up'} by ${s.endedBy ?? '-'}, cause ${s.hangupCause ?? '-'}${s.endReason ? ` (${s.endReason})` : ''}`,
    `  duration:  ${s.durationMs === undefined ? '-' : `${(s.durationMs / 1000).toFixed(1)} s`}`,
  ];
  return lines.join('\n');
}
