// The follow-up capability's data: work orders that come out of calls (a voicemail to answer, a
// callback nobody completed, a question the bot could not answer) or that agents write by hand.
// Stored as JSON in the store's `followups` section (followup-store.ts); times are ms since epoch.

export const FOLLOWUP_KINDS = ['voicemail', 'callback', 'bot-failure', 'manual'] as const;
export type FollowupKind = (typeof FOLLOWUP_KINDS)[number];

export const FOLLOWUP_STATUSES = ['open', 'in-progress', 'waiting', 'done', 'cancelled'] as const;
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number];

/** Statuses that still need someone: reminders run, lists of "work to do" show them. */
export const ACTIVE_STATUSES: readonly FollowupStatus[] = ['open', 'in-progress', 'waiting'];
export const isActive = (status: FollowupStatus) => ACTIVE_STATUSES.includes(status);

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
/** low 0 … urgent 3: sorting by priority means by this rank, not alphabetically. */
export const priorityRank = (priority: Priority) => PRIORITIES.indexOf(priority);

/** One agent, every agent holding a skill, or nobody yet (anyone may pick it up). */
export type Assignee = { agent: string } | { skill: string } | null;

export const MAX_TITLE = 200;
export const MAX_NOTE = 4000;
export const MAX_COMMENT = 4000;
/** A follow-up is a short work order, not a chat: past this, write a new one. */
export const MAX_COMMENTS = 500;
export const MAX_REASON = 500;
/** Agent ids and skill names: what the ACD config allows, and safe inside store keys. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
/** Who did it: a username, or `system` for automatic steps (creation from a call, reminders). */
export const SYSTEM_ACTOR = 'system';

export interface StatusChange {
  at: number;
  by: string;
  from: FollowupStatus | null;
  to: FollowupStatus;
  reason?: string;
}

export interface FollowupComment {
  at: number;
  by: string;
  text: string;
}

/** What the follow-up points at: the call, its recordings, its transcript. */
export interface FollowupLinks {
  callId?: string;
  /** Recordings of the call in the recording store (agent conversations). */
  recordingIds: string[];
  /** The caller's message: Asterisk's recording name and length (voicemail follow-ups). */
  voicemail?: { recording: string; durationSeconds: number };
  /** The call's trail has transcript lines (GET /calls/{callId}/transcript). */
  transcript: boolean;
}

export interface Followup {
  id: string;
  kind: FollowupKind;
  title: string;
  note: string;
  assignee: Assignee;
  priority: Priority;
  dueAt: number;
  status: FollowupStatus;
  statusTrail: StatusChange[];
  comments: FollowupComment[];
  links: FollowupLinks;
  /** The number to call back ('' when withheld or unknown). */
  callerNumber: string;
  /** The queue the caller was in, when the follow-up came from a call that reached one. */
  queue?: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
  /** Bumped by every saved change; the ETag. */
  revision: number;
}

/** A follow-up before it exists: what creation (by hand or from a call) supplies. */
export type FollowupDraft = Pick<Followup, 'id' | 'kind' | 'title' | 'note' | 'assignee' | 'priority' | 'dueAt' | 'links' | 'callerNumber' | 'queue'>;

export type ReminderKind = 'due-soon' | 'overdue';

export interface Reminder {
  kind: ReminderKind;
  /** When it fired (the clock's now). */
  at: number;
  followup: Followup;
}

/** What a list asks for. Every filter is optional; all given ones must match. */
export interface FollowupQuery {
  status?: readonly FollowupStatus[];
  kind?: readonly FollowupKind[];
  /** 'none': unassigned. */
  assignee?: Exclude<Assignee, null> | 'none';
  callId?: string;
  dueBefore?: number;
  dueAfter?: number;
  /** At most this many, read in index order (the API sorts and pages what comes back). */
  limit?: number;
}
