// Outbound campaigns: the records a campaign keeps, and the outcomes its calls end with.
import type { z } from 'zod';
import type { campaignInputSchema } from './campaign-schemas.ts';

export type CampaignInput = z.infer<typeof campaignInputSchema>;
export type CampaignState = 'draft' | 'running' | 'paused' | 'stopped' | 'completed';

export interface Campaign extends CampaignInput {
  id: string;
  state: CampaignState;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/** How one dial attempt ended. 'abandoned' = answered, then dropped by us before an agent took it. */
export type AttemptOutcome = 'answered' | 'busy' | 'no-answer' | 'failed' | 'abandoned';

export interface Attempt {
  n: number;
  /** The channel id (and, when answered, the call id): fixed before dialing, so a restart can tell. */
  channelId: string;
  startedAt: number;
  endedAt?: number;
  outcome?: AttemptOutcome;
  cause?: number;
  /** Why an attempt ended without a call result (e.g. 'interrupted by a restart'). */
  note?: string;
}

/** 'preview': shown to an agent (preview campaigns), waiting for them to call or skip. */
export type ContactState = 'pending' | 'preview' | 'dialing' | 'retry-wait' | 'completed' | 'exhausted' | 'dnc';

export interface Contact {
  campaignId: string;
  id: string;
  number: string;
  name?: string;
  timezone?: string;
  /** Values the campaign's flow starts with (declared flow variables only). */
  fields: Record<string, string>;
  state: ContactState;
  attempts: Attempt[];
  /** When a retry is due (retry-wait). */
  nextAt?: number;
  /** preview: the agent looking at this contact now, and since when. */
  preview?: { agentId: string; offeredAt: number };
  /** Times agents skipped this contact in preview (each skip puts it back for later). */
  skips?: number;
  /** The answered call's result: digits pressed and the flow's variables at the end. */
  result?: { callId: string; digits: string; vars: Record<string, unknown>; reachedAgent?: string };
}

export interface CampaignProgress {
  campaignId: string;
  state: CampaignState;
  contacts: Record<ContactState, number>;
  attempts: Record<AttemptOutcome, number> & { total: number };
  dialingNow: number;
}
