// Follow-ups in the store's `followups` section. Every list a person asks for is a range scan over
// one of these sortable keys (times are 13-digit ms, so they sort as strings):
//   fu!<id>                                  the follow-up
//   st!<status>!<dueAt:13>!<id>              by status, soonest due first (work lists, reminders)
//   as!<agent:ID|skill:NAME|none>!<dueAt:13>!<id>   by assignee, soonest due first
//   call!<callId>!<id>                       by call
//   cr!<createdAt:13>!<id>                   by creation (everything, newest first)
//   rem!<id>                                 reminders sent for the current due time
// A change writes the document and moves its index keys in one batch.
import { prefixRange, type BatchOperation, type RangeOptions, type Section, type Store } from '../store/store.ts';
import type { Assignee, Followup, FollowupQuery, FollowupStatus, ReminderKind } from './followup-types.ts';

const SECTION = 'followups';
const time = (ms: number) => String(Math.max(0, Math.min(Math.floor(ms), 9_999_999_999_999))).padStart(13, '0');
/** Any string inside a key: `!` separates parts, so it (and anything unusual) is escaped. */
const part = (text: string) => encodeURIComponent(text).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const assigneeKey = (assignee: Assignee): string => (assignee === null ? 'none' : 'agent' in assignee ? `agent:${part(assignee.agent)}` : `skill:${part(assignee.skill)}`);

/** Reminders already sent for one due time; a new due time starts again with none. */
export interface ReminderMarks {
  dueAt: number;
  sent: ReminderKind[];
}

/** Most rows one list reads: follow-ups are work in hand, not an archive to page through. */
export const MAX_LIST = 10_000;

function indexKeys(f: Followup): string[] {
  return [
    `st!${f.status}!${time(f.dueAt)}!${f.id}`,
    `as!${assigneeKey(f.assignee)}!${time(f.dueAt)}!${f.id}`,
    ...(f.links.callId !== undefined ? [`call!${part(f.links.callId)}!${f.id}`] : []),
    `cr!${time(f.createdAt)}!${f.id}`,
  ];
}

export class FollowupStore {
  private readonly section: Section;

  constructor(store: Store) {
    this.section = store.section(SECTION);
  }

  get(id: string): Promise<Followup | undefined> {
    return this.section.get<Followup>(`fu!${id}`);
  }

  /** Writes `next` (after `previous`, absent when new) with its index keys, as one batch. */
  async save(previous: Followup | undefined, next: Followup): Promise<void> {
    const before = new Set(previous ? indexKeys(previous) : []);
    const after = indexKeys(next);
    const ops: BatchOperation[] = [{ type: 'put', key: `fu!${next.id}`, value: next }];
    for (const key of before) if (!after.includes(key)) ops.push({ type: 'del', key });
    for (const key of after) if (!before.has(key)) ops.push({ type: 'put', key, value: next.id });
    await this.section.batch(ops);
  }

  async reminderMarks(id: string): Promise<ReminderMarks | undefined> {
    return this.section.get<ReminderMarks>(`rem!${id}`);
  }

  async markReminder(id: string, marks: ReminderMarks): Promise<void> {
    await this.section.batch([{ type: 'put', key: `rem!${id}`, value: marks }]);
  }

  /**
   * The follow-ups matching every filter of `query`, read through the most selective index: the
   * call, else the assignee, else the statuses (each soonest due first), else newest first.
   */
  async list(query: FollowupQuery = {}): Promise<Followup[]> {
    const limit = Math.min(Math.max(Math.floor(query.limit ?? MAX_LIST), 1), MAX_LIST);
    const due = (prefix: string): RangeOptions => ({
      gte: `${prefix}${query.dueAfter !== undefined ? time(query.dueAfter) : ''}`,
      lt: query.dueBefore !== undefined ? `${prefix}${time(query.dueBefore)}` : `${prefix}\uffff`,
    });
    const ranges: RangeOptions[] =
      query.callId !== undefined ? [prefixRange(`call!${part(query.callId)}!`)]
        : query.assignee !== undefined ? [due(`as!${query.assignee === 'none' ? 'none' : assigneeKey(query.assignee)}!`)]
          : query.status?.length ? [...new Set(query.status)].map((s) => due(`st!${s}!`))
            : [{ ...prefixRange('cr!'), reverse: true }];
    const found: Followup[] = [];
    for (const range of ranges) {
      for await (const [, id] of this.section.entries<string>(range)) {
        const followup = await this.get(id);
        if (followup && matches(followup, query)) found.push(followup);
        if (found.length >= limit) return found;
      }
    }
    return found;
  }

  /** Every follow-up in these statuses, without a cap (arming reminders at start). */
  async *inStatus(statuses: readonly FollowupStatus[]): AsyncIterable<Followup> {
    for (const status of statuses) {
      for await (const [, id] of this.section.entries<string>(prefixRange(`st!${status}!`))) {
        const followup = await this.get(id);
        if (followup?.status === status) yield followup;
      }
    }
  }
}

export function matches(f: Followup, q: FollowupQuery): boolean {
  if (q.status?.length && !q.status.includes(f.status)) return false;
  if (q.kind?.length && !q.kind.includes(f.kind)) return false;
  if (q.assignee !== undefined && assigneeKey(q.assignee === 'none' ? null : q.assignee) !== assigneeKey(f.assignee)) return false;
  if (q.callId !== undefined && f.links.callId !== q.callId) return false;
  if (q.dueBefore !== undefined && !(f.dueAt < q.dueBefore)) return false;
  if (q.dueAfter !== undefined && !(f.dueAt >= q.dueAfter)) return false;
  return true;
}
