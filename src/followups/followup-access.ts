// Who may see and change which follow-up. People who may read every call (supervisors, admins:
// `calls.read`) see every follow-up; an agent sees the ones assigned to them, to a skill they
// hold, to nobody yet (so anyone may pick them up), and the ones they wrote themselves.
import type { Followup } from './followup-types.ts';

export interface Viewer {
  username: string;
  /** Sees every follow-up (supervisors, admins). */
  all: boolean;
  agentId?: string;
  skills: readonly string[];
}

export function visibleTo(f: Pick<Followup, 'assignee' | 'createdBy'>, viewer: Viewer): boolean {
  if (viewer.all || f.assignee === null || f.createdBy === viewer.username) return true;
  if ('agent' in f.assignee) return viewer.agentId !== undefined && f.assignee.agent === viewer.agentId;
  return viewer.skills.includes(f.assignee.skill);
}

/** "Mine": assigned to me, or to a skill I hold (not the unassigned pool, not what I wrote). */
export function assignedTo(f: Pick<Followup, 'assignee'>, viewer: Viewer): boolean {
  if (f.assignee === null) return false;
  if ('agent' in f.assignee) return viewer.agentId !== undefined && f.assignee.agent === viewer.agentId;
  return viewer.skills.includes(f.assignee.skill);
}
