// Live wallboard figures per queue, for supervisors. Two halves:
//   - counters for the current period ("today" in the site's time zone), folded from the ACD's
//     trail one entry at a time by `applyTrail` into a Board: plain JSON, persisted beside the
//     ACD state, so a restart keeps today's figures;
//   - live figures (waiting, longest wait, agents by state, callbacks) read from the AcdState.
// `figures` joins them. All pure: time comes from trail entries and the `at` passed in.
//
// Definitions (T = serviceLevelSeconds, S = shortAbandonSeconds):
//   offered      calls that arrived at the queue: 'joined', plus 'overflowed' turned away at the
//                door (reason 'full' or 'no-agents'), which never got a 'joined'.
//   answered     'answered', callers on the line and callbacks alike.
//   abandoned    'abandoned', all of them; `abandonedShort` of those waited S seconds or less.
//   overflowed   'overflowed', any reason (at the door and after max wait).
//   serviceLevel = answered within T / (answered + abandoned after more than S)
//                the common "SL = answered within T / (answered + abandoned after threshold)"
//                definition. "Within T" is wait ≤ T; an abandon at exactly S is short. Only
//                callers on the line count (entries of kind 'caller'): a callback's wait includes
//                the time the customer chose to spend off the line, so it says nothing about how
//                fast the line is answered. Overflowed calls are in neither part. null: no calls.
//   asaSeconds   average wait of the answered callers on the line (the same calls as SL).
//   ahtSeconds   average handleSeconds of 'call-ended' (answer to hang-up; wrap-up not included).
// A call is counted in the period of each event's own time: a caller who joins at 23:59:50 and
// is answered at 00:00:10 is offered yesterday and answered today, as day-based reports do.
import { localTime } from '../ivr/business-hours.ts';
import { meets } from './queue-step.ts';
import type { AcdState, AgentStateKind, TrailEntry } from './queue-types.ts';

export interface WallboardSettings {
  /** T of the service level: answered within this many seconds of joining counts as good. */
  serviceLevelSeconds: number;
  /** Abandons after this many seconds or less are short: not held against the service level. */
  shortAbandonSeconds: number;
  /** IANA zone of the site; the period resets at local midnight there. */
  timezone: string;
}

/** Raw sums, so figures stay exact however many calls are folded in (times in whole ms). */
export interface PeriodCounters {
  offered: number;
  answered: number;
  abandoned: number;
  abandonedShort: number;
  overflowed: number;
  /** The service level's parts: callers on the line only. */
  answeredOnLine: number;
  answeredWithinTarget: number;
  abandonedAfterThreshold: number;
  answeredWaitMs: number;
  callsEnded: number;
  handleMs: number;
}

export interface Board {
  settings: WallboardSettings;
  /** The current period: the site's local date, YYYY-MM-DD; null before the first entry. */
  period: string | null;
  /** Counters of `period`, by queue id. */
  queues: Record<string, PeriodCounters>;
}

export interface QueueFigures {
  queueId: string;
  /** The local date the counters belong to, and the instant that day began (local midnight). */
  period: string;
  periodStart: number;
  /** Entries in the queue now (being rung or not): callers on the line, and kept callback places. */
  waiting: { onLine: number; callbackPlaces: number };
  /** Longest current wait of a caller on the line, seconds since joining; 0 when none. */
  longestWaitSeconds: number;
  /** Agents qualified for the queue's base skills, by state. */
  agents: Record<AgentStateKind, number>;
  offered: number;
  answered: number;
  abandoned: number;
  abandonedShort: number;
  overflowed: number;
  /** 0 … 1; null when no call counts yet. */
  serviceLevel: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  /** Kept callback places not yet being dialled. */
  callbacksPending: number;
}

export class WallboardError extends Error {
  readonly code = 'WALLBOARD_BAD_SETTINGS';
}

export function newBoard(settings: WallboardSettings): Board {
  const { serviceLevelSeconds, shortAbandonSeconds, timezone } = settings;
  for (const [name, value] of Object.entries({ serviceLevelSeconds, shortAbandonSeconds })) {
    if (!Number.isFinite(value) || value < 0) throw new WallboardError(`${name} must be a number ≥ 0, got ${JSON.stringify(value)}`);
  }
  try {
    localTime(0, timezone);
  } catch {
    throw new WallboardError(`${JSON.stringify(timezone)} is not an IANA time zone like "Asia/Shanghai"`);
  }
  return { settings: { serviceLevelSeconds, shortAbandonSeconds, timezone }, period: null, queues: {} };
}

const zero = (): PeriodCounters => ({
  offered: 0, answered: 0, abandoned: 0, abandonedShort: 0, overflowed: 0,
  answeredOnLine: 0, answeredWithinTarget: 0, abandonedAfterThreshold: 0, answeredWaitMs: 0, callsEnded: 0, handleMs: 0,
});

const dateAt = (at: number, timezone: string) => localTime(at, timezone).date;

const ms = (seconds: unknown) => Math.round(Number(seconds) * 1000);

/** What one trail entry adds to its queue's counters; undefined when it adds nothing. */
function increments(entry: TrailEntry, settings: WallboardSettings): Partial<PeriodCounters> | undefined {
  const waitMs = ms(entry.waitSeconds);
  const onLine = entry.kind === 'caller';
  switch (entry.type) {
    case 'joined':
      return { offered: 1 };
    case 'overflowed':
      return entry.reason === 'full' || entry.reason === 'no-agents' ? { offered: 1, overflowed: 1 } : { overflowed: 1 };
    case 'answered':
      if (!onLine) return { answered: 1 };
      return { answered: 1, answeredOnLine: 1, answeredWaitMs: waitMs, answeredWithinTarget: waitMs <= settings.serviceLevelSeconds * 1000 ? 1 : 0 };
    case 'abandoned': {
      const short = waitMs <= settings.shortAbandonSeconds * 1000;
      return { abandoned: 1, abandonedShort: short ? 1 : 0, abandonedAfterThreshold: onLine && !short ? 1 : 0 };
    }
    case 'call-ended':
      return { callsEnded: 1, handleMs: ms(entry.handleSeconds) };
    default:
      return undefined;
  }
}

/**
 * Folds one ACD trail entry into the board; pure. An entry from a later local day starts a new
 * period (yesterday's counters are dropped: the call records keep the history for reports); an
 * entry from an earlier day than the board's is ignored. Returns the same board when nothing changes.
 */
export function applyTrail(board: Board, entry: TrailEntry): Board {
  const period = dateAt(entry.at, board.settings.timezone);
  if (board.period !== null && period < board.period) return board;
  const current = period === board.period ? board : { ...board, period, queues: {} };
  const add = increments(entry, board.settings);
  if (!add || typeof entry.queueId !== 'string') return current;
  const before = current.queues[entry.queueId] ?? zero();
  const after = { ...before };
  for (const [key, value] of Object.entries(add) as [keyof PeriodCounters, number][]) after[key] += value;
  return { ...current, queues: { ...current.queues, [entry.queueId]: after } };
}

/**
 * The instant the local day containing `at` began. Searched rather than computed from the wall
 * clock, because a DST change since midnight makes "at minus the local time of day" wrong.
 * A local day is at most 25 h long, so it began within the 27 h before `at`.
 */
export function periodStart(at: number, timezone: string): number {
  const today = dateAt(at, timezone);
  let before = at - 27 * 3600_000;
  let inside = at;
  while (inside - before > 1) {
    const mid = Math.floor((before + inside) / 2);
    if (dateAt(mid, timezone) === today) inside = mid;
    else before = mid;
  }
  return inside;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export function figures(board: Board, acd: AcdState, at: number): QueueFigures[] {
  const { timezone } = board.settings;
  const period = dateAt(at, timezone);
  const start = periodStart(at, timezone);
  return Object.values(acd.queues).map((queue) => {
    // Counters only of the period `at` is in: before any entry of a new day, today is all zeros.
    const counted = (board.period === period && board.queues[queue.id]) || zero();
    const entries = acd.waiting.filter((e) => e.queueId === queue.id);
    const onLine = entries.filter((e) => e.kind === 'caller' || e.callback?.state === 'connected');
    const agents: Record<AgentStateKind, number> = { 'logged-out': 0, available: 0, ringing: 0, 'on-call': 0, 'wrap-up': 0, paused: 0 };
    for (const agent of Object.values(acd.agents)) if (meets(agent, queue.requiredSkills)) agents[agent.status.kind] += 1;
    return {
      queueId: queue.id,
      period,
      periodStart: start,
      waiting: { onLine: onLine.length, callbackPlaces: entries.length - onLine.length },
      longestWaitSeconds: Math.max(0, ...onLine.map((e) => (at - e.enteredAt) / 1000)),
      agents,
      offered: counted.offered,
      answered: counted.answered,
      abandoned: counted.abandoned,
      abandonedShort: counted.abandonedShort,
      overflowed: counted.overflowed,
      serviceLevel: ratio(counted.answeredWithinTarget, counted.answeredOnLine + counted.abandonedAfterThreshold),
      asaSeconds: ratio(counted.answeredWaitMs / 1000, counted.answeredOnLine),
      ahtSeconds: ratio(counted.handleMs / 1000, counted.callsEnded),
      callbacksPending: entries.filter((e) => e.callback?.state === 'pending').length,
    };
  });
}
