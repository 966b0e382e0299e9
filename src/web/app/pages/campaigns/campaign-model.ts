// Campaigns as the page sees them (GET /campaigns, src/campaigns/campaign-types.ts) and as the
// form edits them: numbers and calling windows typed as text ("09:00-12:00, 13:00-18:00"), turned
// back into the API's input. The API validates; text the form cannot read is still sent, so the
// API names the bad field and the form shows it beside that field.
import { ApiError } from '../../api.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type CampaignState = 'draft' | 'running' | 'paused' | 'stopped' | 'completed';
export const CONTACT_STATES = ['completed', 'exhausted', 'dnc', 'retry-wait', 'dialing', 'preview', 'pending'] as const;
export type ContactState = (typeof CONTACT_STATES)[number];
export const OUTCOMES = ['answered', 'busy', 'no-answer', 'failed', 'abandoned'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type Action = 'start' | 'pause' | 'resume' | 'stop';
export const CAMPAIGN_TYPES = ['automated', 'progressive', 'preview'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];
const RETRY_KINDS = ['busy', 'noAnswer', 'failed'] as const;
export type RetryKind = (typeof RETRY_KINDS)[number];

interface Window { from: string; to: string }
interface RetryRule { afterMinutes: number; maxAttempts: number }
export interface Campaign {
  id: string; name: string; type: CampaignType; flowId?: string; queueId?: string; dial: string; preview?: { autoDialSeconds: number };
  callerId: { number: string; name: string }; timezone?: string;
  schedule: { windows: Partial<Record<Weekday, Window[]>>; holidays: string[] };
  pacing: { maxConcurrent: number; callsPerMinute: number; overdialRatio: number; ringSeconds: number };
  retry: Record<RetryKind, RetryRule>;
  state: CampaignState; revision: number; createdAt: number; updatedAt: number;
}
export interface Progress { state: CampaignState; contacts: Record<ContactState, number>; attempts: Record<Outcome, number> & { total: number }; dialingNow: number }
export interface Attempt { n: number; startedAt: number; endedAt?: number; outcome?: Outcome; cause?: number; note?: string }
export interface Contact {
  id: string; number: string; name?: string; timezone?: string; state: ContactState; attempts: Attempt[]; nextAt?: number;
  result?: { callId: string; digits: string; vars: Record<string, unknown>; reachedAgent?: string };
}
export interface DncEntry { number: string; addedAt: number; by: string; reason?: string }

export const PACING_KEYS = ['maxConcurrent', 'callsPerMinute', 'overdialRatio', 'ringSeconds'] as const;
export type PacingKey = (typeof PACING_KEYS)[number];
export { RETRY_KINDS };

export interface CampaignDraft {
  name: string; type: CampaignType; flowId: string; queueId: string; dial: string; autoDialSeconds: string;
  callerNumber: string; callerName: string; timezone: string;
  windows: Record<Weekday, string>; holidays: string;
  pacing: Record<PacingKey, string>;
  retry: Record<RetryKind, { afterMinutes: string; maxAttempts: string }>;
}

/** Which buttons a campaign in this state offers (the API refuses the others). */
export function actionsFor(state: CampaignState): Action[] {
  if (state === 'draft') return ['start', 'stop'];
  if (state === 'running') return ['pause', 'stop'];
  if (state === 'paused') return ['resume', 'stop'];
  return [];
}

/** A campaign that can no longer be changed or dialed. */
export const isOver = (state: CampaignState) => state === 'stopped' || state === 'completed';

export const windowsText = (windows: Window[] | undefined) => (windows ?? []).map((w) => `${w.from}-${w.to}`).join(', ');

/** "09:00-12:00, 13:00-18:00" → windows; a piece without a dash keeps its text as `from`, so the API names it. */
export function parseWindows(text: string): Window[] {
  return text.split(/[,，;；\s]+/).map((r) => r.trim()).filter(Boolean).map((r) => {
    const [from = '', to = ''] = r.split(/[-–~～]/, 2);
    return { from: from.trim(), to: to.trim() };
  });
}

const listOf = (text: string) => text.split(/[,，;；\s]+/).map((s) => s.trim()).filter(Boolean);
/** A number typed into a field: empty is left out (the API's default), anything else sent as typed. */
const numberOf = (text: string): number | string | undefined => (text.trim() === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text);

export function draftOf(c: Campaign | undefined): CampaignDraft {
  const rule = (k: RetryKind, dflt: RetryRule) => ({ afterMinutes: String(c?.retry[k].afterMinutes ?? dflt.afterMinutes), maxAttempts: String(c?.retry[k].maxAttempts ?? dflt.maxAttempts) });
  return {
    name: c?.name ?? '', type: c?.type ?? 'automated', flowId: c?.flowId ?? '', queueId: c?.queueId ?? '', dial: c?.dial ?? 'PJSIP/{number}@carrier',
    autoDialSeconds: String(c?.preview?.autoDialSeconds ?? 0),
    callerNumber: c?.callerId.number ?? '', callerName: c?.callerId.name ?? '', timezone: c?.timezone ?? '',
    // A new campaign calls on weekdays 09:00–12:00 and 14:00–18:00: a polite default to edit.
    windows: Object.fromEntries(WEEKDAYS.map((d) => [d, c ? windowsText(c.schedule.windows[d]) : ['sat', 'sun'].includes(d) ? '' : '09:00-12:00, 14:00-18:00'])) as Record<Weekday, string>,
    holidays: (c?.schedule.holidays ?? []).join(', '),
    pacing: {
      maxConcurrent: String(c?.pacing.maxConcurrent ?? 5), callsPerMinute: String(c?.pacing.callsPerMinute ?? 30),
      overdialRatio: String(c?.pacing.overdialRatio ?? 0), ringSeconds: String(c?.pacing.ringSeconds ?? 30),
    },
    retry: { busy: rule('busy', { afterMinutes: 10, maxAttempts: 3 }), noAnswer: rule('noAnswer', { afterMinutes: 30, maxAttempts: 3 }), failed: rule('failed', { afterMinutes: 15, maxAttempts: 2 }) },
  };
}

/** The API's CampaignInput for a draft. */
export function inputOf(d: CampaignDraft): Record<string, unknown> {
  const windows: Partial<Record<Weekday, Window[]>> = {};
  for (const day of WEEKDAYS) { const w = parseWindows(d.windows[day]); if (w.length) windows[day] = w; }
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    name: d.name.trim(), type: d.type,
    // A preview campaign runs no flow; the others do (the API names a missing one).
    ...(d.type !== 'preview' ? { flowId: d.flowId } : {}),
    ...(d.type !== 'automated' && d.queueId ? { queueId: d.queueId } : {}),
    ...(d.type === 'preview' ? { preview: defined({ autoDialSeconds: numberOf(d.autoDialSeconds) }) } : {}),
    dial: d.dial.trim(),
    callerId: { number: d.callerNumber.trim(), name: d.callerName.trim() },
    ...(d.timezone.trim() ? { timezone: d.timezone.trim() } : {}),
    schedule: { windows, holidays: listOf(d.holidays) },
    pacing: defined(Object.fromEntries(PACING_KEYS.map((k) => [k, numberOf(d.pacing[k])]))),
    retry: Object.fromEntries(RETRY_KINDS.map((k) => [k, defined({ afterMinutes: numberOf(d.retry[k].afterMinutes), maxAttempts: numberOf(d.retry[k].maxAttempts) })])),
  };
}

/** The API's error.details ([{field, message}] or [{row, field, message}]) as field → message. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {};
  const out: Record<string, string> = {};
  for (const item of error.details as { field?: unknown; path?: unknown; message?: unknown }[]) {
    const key = typeof item?.field === 'string' ? item.field : Array.isArray(item?.path) ? item.path.join('.') : undefined;
    if (key === undefined) continue;
    const message = typeof item.message === 'string' ? item.message : error.message;
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}

/** The messages for a field and everything under it (schedule.windows.mon → …mon.0.to). */
export function errorsUnder(errors: Record<string, string>, prefix: string): string | undefined {
  const found = Object.entries(errors).filter(([key]) => key === prefix || key.startsWith(`${prefix}.`))
    .map(([key, message]) => (key === prefix ? message : `${key.slice(prefix.length + 1)}: ${message}`));
  return found.length ? found.join('; ') : undefined;
}

export interface RowProblem { row: number; field: string; message: string }
/** A refused contact upload's problems, row by row (CAMPAIGN_CONTACTS_INVALID). */
export function rowProblems(error: unknown): RowProblem[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return (error.details as Partial<RowProblem>[]).filter((p) => p && typeof p.message === 'string')
    .map((p) => ({ row: typeof p.row === 'number' ? p.row : 0, field: String(p.field ?? ''), message: p.message! }));
}

/** Do-not-call numbers typed one per line or separated by commas or spaces. */
export const numbersOf = (text: string) => listOf(text);

export const isCampaignConflict = (error: unknown) => error instanceof ApiError && error.code === 'CAMPAIGN_CONFLICT';
