// The site's defaults for follow-ups: who gets each kind, how urgent, how soon it is due, and
// when the due-soon reminder goes. Small on purpose; the lead maps the site config onto it.
import type { Priority } from './followup-types.ts';

export interface KindDefaults {
  priority: Priority;
  /** Due this long after creation. */
  dueInMs: number;
  /** The skill group that gets it when the call's queue names none (absent: unassigned). */
  skill?: string;
}

export interface FollowupSettings {
  voicemail: KindDefaults;
  callback: KindDefaults;
  botFailure: KindDefaults;
  manual: KindDefaults;
  /** The due-soon reminder fires this long before dueAt. */
  dueSoonMs: number;
  /** Titles and notes of automatic follow-ups are written in the site's language. */
  locale: 'en' | 'zh-CN';
  /**
   * The skills a queue asks for (its base skills, first the main one): a follow-up from a caller
   * who was in that queue goes to the first skill's group. Absent or empty: the kind's `skill`.
   */
  skillsOfQueue?: (queueId: string) => readonly string[];
}

const HOUR = 3_600_000;

export const DEFAULT_FOLLOWUP_SETTINGS: FollowupSettings = {
  // A message left: someone listens and calls back within the working morning or afternoon.
  voicemail: { priority: 'normal', dueInMs: 4 * HOUR },
  // The caller asked to be called back and nobody did: the most pressing.
  callback: { priority: 'high', dueInMs: 1 * HOUR },
  // A knowledge gap: look at it, write or fix an article; nobody waits on the line.
  botFailure: { priority: 'low', dueInMs: 24 * HOUR },
  manual: { priority: 'normal', dueInMs: 24 * HOUR },
  dueSoonMs: 15 * 60_000,
  locale: 'en',
};

export function followupSettings(overrides: Partial<FollowupSettings> = {}): FollowupSettings {
  return { ...DEFAULT_FOLLOWUP_SETTINGS, ...overrides };
}
