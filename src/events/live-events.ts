// The live event stream behind the admin API's SSE endpoint: calls starting and ending, queue
// figures, agent states, transcripts, assist suggestions and escalation alerts. Each event says
// which permission sees it; events about one call may also be seen by the agent on that call
// (an agent sees their own caller's transcript and suggestions, not everyone's). A short ring
// buffer lets a reconnecting browser resume from Last-Event-ID without a gap.
import type { Principal } from '../auth/auth-service.ts';
import type { Permission } from '../auth/roles.ts';

export const LIVE_EVENT_TYPES = ['call.started', 'call.ended', 'call.agent-connected', 'queue.stats', 'agent.state', 'transcript', 'assist.suggestions', 'alert', 'followup.created', 'followup.updated', 'followup.closed', 'followup.reminder', 'campaign.progress'] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

export interface LiveEvent {
  id: number;
  type: LiveEventType;
  at: number;
  data: Record<string, unknown>;
  /** Who sees it: holders of this permission… */
  permission: Permission;
  /** …and, with `agentPermission`, the agent on this call. */
  callId?: string;
  /** …and this agent (their own state), whatever their permissions beyond events.subscribe. */
  agentId?: string;
}

type Listener = (event: LiveEvent) => void;

export class LiveEvents {
  private nextId = 1;
  private readonly recent: LiveEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** Which agent is on which call (from call.agent-connected), for per-call visibility. */
  private readonly agentOf = new Map<string, string>();

  constructor(private readonly options: { now: () => number; keep?: number }) {}

  publish(type: LiveEventType, permission: Permission, data: Record<string, unknown>, callId?: string, agentId?: string): LiveEvent {
    const event: LiveEvent = { id: this.nextId++, type, at: this.options.now(), data, permission, ...(callId ? { callId } : {}), ...(agentId ? { agentId } : {}) };
    if (type === 'call.agent-connected' && callId && typeof data.agentId === 'string') this.agentOf.set(callId, data.agentId);
    if (type === 'call.ended' && callId) this.agentOf.delete(callId);
    this.recent.push(event);
    if (this.recent.length > (this.options.keep ?? 1000)) this.recent.shift();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
    return event;
  }

  /** Whether this caller may see the event. */
  visibleTo(event: LiveEvent, principal: Pick<Principal, 'permissions' | 'agentId'>): boolean {
    if (!principal.permissions.has('events.subscribe')) return false;
    if (event.agentId !== undefined && principal.agentId === event.agentId) return true;
    if (principal.permissions.has(event.permission)) {
      // Per-call events under assist.use: an agent only for their own calls; supervisors
      // (calls.read) for all.
      if (event.callId === undefined || event.permission !== 'assist.use' || principal.permissions.has('calls.read')) return true;
      return principal.agentId !== undefined && this.agentOf.get(event.callId) === principal.agentId;
    }
    return false;
  }

  /** Subscribes; first replays events after `lastEventId` that are still kept. Returns the unsubscribe. */
  subscribe(listener: Listener, lastEventId?: number): () => void {
    if (lastEventId !== undefined) for (const e of this.recent) if (e.id > lastEventId) listener(e);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The agent connected to a live call, if any (for per-call permissions outside the stream). */
  agentOn(callId: string): string | undefined {
    return this.agentOf.get(callId);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
