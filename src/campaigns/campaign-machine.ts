// The campaign's decisions, pure: which contacts to dial now, and what an attempt's outcome does
// to its contact. The dialer (campaign-dialer.ts) persists and acts; these need no IO.
import type { AttemptOutcome, Campaign, CampaignProgress, Contact, ContactState } from './campaign-types.ts';
import { inWindow } from './schedule.ts';

export interface Capacity {
  /** Calls of this campaign being dialed or talking now. */
  active: number;
  /** Dials this campaign started in the last 60 s. */
  startedLastMinute: number;
  /** progressive: customer-first calls ringing now, and the queue's available agents. */
  ringing?: number;
  availableAgents?: number;
}

/** How many new dials the pacing allows right now. */
export function dialsAllowed(campaign: Campaign, capacity: Capacity): number {
  const p = campaign.pacing;
  let allowed = Math.min(p.maxConcurrent - capacity.active, p.callsPerMinute - capacity.startedLastMinute);
  if (campaign.type === 'progressive') {
    // Never more customer-first calls ringing than agents free to take them (plus the overdial share).
    const agents = capacity.availableAgents ?? 0;
    const ceiling = agents + Math.floor(agents * p.overdialRatio);
    allowed = Math.min(allowed, ceiling - (capacity.ringing ?? 0));
  }
  return Math.max(0, allowed);
}

export const isDue = (contact: Contact, now: number) =>
  contact.state === 'pending' || (contact.state === 'retry-wait' && (contact.nextAt ?? 0) <= now);

/** Contacts to dial now, in order: retries that are due first (oldest due), then new contacts. */
export function pickContacts(campaign: Campaign, contacts: Iterable<Contact>, now: number, allowed: number, siteTimeZone: string): Contact[] {
  if (allowed <= 0 || campaign.state !== 'running') return [];
  const due = [...contacts].filter((c) => isDue(c, now) && inWindow(campaign.schedule, c.timezone ?? campaign.timezone ?? siteTimeZone, now));
  due.sort((a, b) => (a.state === b.state ? (a.nextAt ?? 0) - (b.nextAt ?? 0) : a.state === 'retry-wait' ? -1 : 1));
  return due.slice(0, allowed);
}

const ruleOf = (campaign: Campaign, outcome: AttemptOutcome) =>
  outcome === 'busy' ? campaign.retry.busy : outcome === 'no-answer' ? campaign.retry.noAnswer : outcome === 'failed' ? campaign.retry.failed : undefined;

/** The contact after its latest attempt ended with `outcome` at `at`. */
export function afterAttempt(campaign: Campaign, contact: Contact, outcome: AttemptOutcome, at: number, detail: { cause?: number; note?: string } = {}): Contact {
  const attempts = contact.attempts.map((a, i) => (i === contact.attempts.length - 1 ? { ...a, endedAt: at, outcome, ...detail } : a));
  if (outcome === 'answered') return { ...contact, attempts, state: 'completed', nextAt: undefined };
  if (outcome === 'abandoned') return { ...contact, attempts, state: 'completed', nextAt: undefined };
  const rule = ruleOf(campaign, outcome)!;
  const tries = attempts.length;
  if (tries >= rule.maxAttempts) return { ...contact, attempts, state: 'exhausted', nextAt: undefined };
  return { ...contact, attempts, state: 'retry-wait', nextAt: at + rule.afterMinutes * 60_000 };
}

/** A contact an agent skipped in preview: back in the list, due again after the no-answer delay; no attempt counted. */
export function skipped(campaign: Campaign, contact: Contact, at: number): Contact {
  return { ...contact, state: 'retry-wait', preview: undefined, nextAt: at + campaign.retry.noAnswer.afterMinutes * 60_000, skips: (contact.skips ?? 0) + 1 };
}

/** Asterisk hang-up causes of a call that never answered, as an attempt outcome. */
export function outcomeOfCause(cause: number): AttemptOutcome {
  if (cause === 17) return 'busy';
  // 18 no user responding, 19 no answer, 0/16 from an originate that timed out while ringing
  if (cause === 18 || cause === 19 || cause === 0 || cause === 16) return 'no-answer';
  return 'failed';
}

export function progressOf(campaign: Campaign, contacts: Iterable<Contact>): CampaignProgress {
  const counts: Record<ContactState, number> = { pending: 0, preview: 0, dialing: 0, 'retry-wait': 0, completed: 0, exhausted: 0, dnc: 0 };
  const attempts = { answered: 0, busy: 0, 'no-answer': 0, failed: 0, abandoned: 0, total: 0 };
  for (const c of contacts) {
    counts[c.state]++;
    for (const a of c.attempts) {
      attempts.total++;
      if (a.outcome) attempts[a.outcome]++;
    }
  }
  return { campaignId: campaign.id, state: campaign.state, contacts: counts, attempts, dialingNow: counts.dialing };
}

/** Is every contact settled (nothing pending, dialing or waiting to retry)? */
export const finished = (contacts: Iterable<Contact>) => [...contacts].every((c) => c.state === 'completed' || c.state === 'exhausted' || c.state === 'dnc');
