// Due-soon and overdue reminders. `nextReminder` decides (pure); `ReminderTimers` holds one clock
// timer per follow-up. Each reminder goes once per follow-up per due time: the service records
// what it sent for which dueAt (ReminderMarks), so a restart does not send it again, and a new due
// time (rescheduling) starts afresh.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { ReminderMarks } from './followup-store.ts';
import { isActive, type Followup, type ReminderKind } from './followup-types.ts';

export interface PlannedReminder {
  kind: ReminderKind;
  /** When to send it; at or before `now` means at once. */
  at: number;
}

/**
 * The next reminder a follow-up is owed, or none (done, cancelled, or both sent). Past its due
 * time only 'overdue' is owed: a due-soon missed while Deskline was down would arrive late and
 * say the wrong thing.
 */
export function nextReminder(f: Pick<Followup, 'status' | 'dueAt'>, marks: ReminderMarks | undefined, now: number, dueSoonMs: number): PlannedReminder | undefined {
  if (!isActive(f.status)) return undefined;
  const sent = marks?.dueAt === f.dueAt ? marks.sent : [];
  if (sent.includes('overdue')) return undefined;
  if (now < f.dueAt && dueSoonMs > 0 && !sent.includes('due-soon')) return { kind: 'due-soon', at: Math.max(now, f.dueAt - dueSoonMs) };
  return { kind: 'overdue', at: f.dueAt };
}

/** At most one armed timer per follow-up: arming again replaces the earlier one. */
export class ReminderTimers {
  private readonly handles = new Map<string, TimerHandle>();

  constructor(private readonly clock: Clock) {}

  set(id: string, at: number, fire: () => void): void {
    this.clear(id);
    const handle = this.clock.at(at, () => {
      if (this.handles.get(id) === handle) this.handles.delete(id);
      fire();
    });
    this.handles.set(id, handle);
  }

  clear(id: string): void {
    this.handles.get(id)?.cancel();
    this.handles.delete(id);
  }

  clearAll(): void {
    for (const handle of this.handles.values()) handle.cancel();
    this.handles.clear();
  }

  get armed(): number {
    return this.handles.size;
  }
}
