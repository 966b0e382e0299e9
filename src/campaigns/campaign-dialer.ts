// The dialer: runs the campaigns' decisions (campaign-machine.ts) against Asterisk. One writer:
// every change goes through one promise chain, in order. An attempt is saved with its channel id
// BEFORE its number is dialed, so after a crash a restart never dials that attempt again: it
// finds the call (live, or ended in the call records) or counts the attempt as interrupted.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { CallState } from '../calls/call-types.ts';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Telephony, TelephonyEvent } from '../telephony/telephony.ts';
import { afterAttempt, dialsAllowed, finished, outcomeOfCause, pickContacts, progressOf, skipped } from './campaign-machine.ts';
import type { CampaignStore } from './campaign-store.ts';
import type { AttemptOutcome, Campaign, CampaignProgress, Contact } from './campaign-types.ts';

export const CAMPAIGN_ROLE = 'campaign';

export interface DialerCalls {
  /** An answered campaign call becomes a Deskline call running the campaign's flow. */
  adoptOutbound(input: { channelId: string; channelName: string; caller: { number: string; name: string }; dialed: string; flow: { flowId: string; version: number }; campaign: NonNullable<CallState['campaign']> }): void;
  on(event: 'ended', handler: (state: CallState) => void): void;
  isLive(callId: string): boolean;
  /** A call's record (ended or not), for recovery after a restart. */
  record(callId: string): Promise<CallState | undefined>;
  /** The agent the call reached (its trail's agent-connected), if any. */
  agentOf(callId: string): Promise<string | undefined>;
}

/** What preview (agent-first) campaigns need from the queues and calls. */
export interface PreviewPort {
  /** Agents free now who can take this queue's calls. */
  freeAgents(queueId: string): string[];
  /** Keeps the agent from other calls while they look at a contact (a pause, reason 'campaign-preview'). */
  hold(agentId: string): Promise<void>;
  /** Ends that pause (if it is still the preview's). */
  release(agentId: string): Promise<void>;
  /** Places the call: recorded as a call from now, the agent's phone rung first, then the customer dialled. */
  place(input: { callId: string; agentId: string; queueId: string; caller: { number: string; name: string }; endpoint: string; callerId: { number: string; name: string }; ringSeconds: number; campaign: NonNullable<CallState['campaign']> }): Promise<void>;
}

/** Why a preview action was refused (the API maps it to 409/404). */
export class PreviewRefused extends Error {
  constructor(readonly code: 'PREVIEW_NOT_FOUND' | 'PREVIEW_STATE', message: string) {
    super(message);
  }
}

export interface DialerDeps {
  store: CampaignStore;
  telephony: Pick<Telephony, 'originate' | 'hangup' | 'onEvent' | 'listChannels'>;
  calls: DialerCalls;
  clock: Clock;
  logger: Logger;
  siteTimeZone: string;
  /** The published version of a flow (campaign calls run it). */
  flowVersion: (flowId: string) => number | undefined;
  /** Agents free to take a call in a queue (progressive pacing). */
  availableAgents: (queueId: string) => number;
  preview?: PreviewPort;
  tickMs?: number;
}

interface Dial {
  campaignId: string;
  contactId: string;
  startedAt: number;
  answered: boolean;
  /** A preview call the queue placed for an agent: it ends through the call service only. */
  placed?: boolean;
}

export class CampaignDialer extends EventEmitter<{ progress: [CampaignProgress]; attempt: [Campaign, Contact] }> {
  private readonly campaigns = new Map<string, Campaign>();
  private readonly contacts = new Map<string, Map<string, Contact>>();
  private readonly dials = new Map<string, Dial>();
  private chain: Promise<void> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private stopped = false;
  /** Highest number of customer-first calls ringing at once, per campaign (the pacing's proof). */
  readonly maxRinging = new Map<string, number>();

  constructor(private readonly deps: DialerDeps) {
    super();
    deps.telephony.onEvent((event) => this.onTelephony(event));
    deps.calls.on('ended', (state) => {
      if (state.campaign) this.serial(() => this.callEnded(state));
    });
  }

  /** Loads every campaign and contact from the store (at start, before Asterisk is reached). */
  async load(): Promise<void> {
    for (const campaign of await this.deps.store.campaigns()) {
      this.campaigns.set(campaign.id, campaign);
      this.contacts.set(campaign.id, new Map((await this.deps.store.contacts(campaign.id)).map((c) => [c.id, c])));
    }
  }

  /** Once Asterisk answers: settles what the last run left dialing (`live` = its channel ids now), then dials on. */
  resume(live: Set<string>): Promise<void> {
    return this.serial(async () => {
      for (const campaign of this.campaigns.values()) {
        for (const contact of [...this.contacts.get(campaign.id)!.values()]) if (contact.state === 'dialing') await this.recover(campaign, contact, live);
      }
      this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.chain;
  }

  /** Resolves when every change queued so far is saved and acted on. */
  idle(): Promise<void> {
    return this.chain;
  }

  all(): Campaign[] {
    return [...this.campaigns.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  campaign(id: string): Campaign | undefined {
    return this.campaigns.get(id);
  }

  contactsOf(id: string): Contact[] {
    return [...(this.contacts.get(id)?.values() ?? [])];
  }

  progress(id: string): CampaignProgress | undefined {
    const campaign = this.campaigns.get(id);
    return campaign && progressOf(campaign, this.contacts.get(id)?.values() ?? []);
  }

  /** Adds or replaces campaigns and contacts (the service saved them already). */
  put(campaign: Campaign, contacts: Contact[] = []): Promise<void> {
    return this.serial(async () => {
      this.campaigns.set(campaign.id, campaign);
      const map = this.contacts.get(campaign.id) ?? new Map<string, Contact>();
      for (const c of contacts) map.set(c.id, c);
      this.contacts.set(campaign.id, map);
      this.emit('progress', progressOf(campaign, map.values()));
      // Running: dial. Paused or stopped with contacts still shown to agents: take them back now.
      if (campaign.state === 'running' || [...map.values()].some((c) => c.state === 'preview')) this.kick();
    });
  }

  forget(id: string): Promise<void> {
    return this.serial(async () => {
      this.campaigns.delete(id);
      this.contacts.delete(id);
    });
  }

  /** Runs a change in the one writer's order. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.then(() => undefined, (error: Error) => this.deps.logger.error({ err: error }, 'campaign step failed'));
    return run;
  }

  private schedule(): void {
    if (this.stopped) return;
    const { clock } = this.deps;
    this.timer = clock.at(clock.now() + (this.deps.tickMs ?? 1000), () => {
      void this.serial(() => this.tick()).finally(() => this.schedule());
    });
  }

  /** A tick soon, in order (after a change that may free capacity). */
  private kick(): void {
    queueMicrotask(() => void this.serial(() => this.tick()));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    for (const campaign of this.campaigns.values()) {
      const contacts = this.contacts.get(campaign.id)!;
      if (campaign.state !== 'running') {
        // A paused or stopped preview campaign takes its contacts back from the agents.
        for (const contact of [...contacts.values()]) if (contact.state === 'preview') await this.withdraw(campaign, contact);
        continue;
      }
      const mine = [...this.dials.values()].filter((d) => d.campaignId === campaign.id);
      const startedLastMinute = [...contacts.values()].reduce((n, c) => n + c.attempts.filter((a) => a.startedAt > now - 60_000).length, 0);
      const ringing = mine.filter((d) => !d.answered).length;
      const previewing = [...contacts.values()].filter((c) => c.state === 'preview');
      const allowed = dialsAllowed(campaign, {
        active: mine.length + previewing.length, startedLastMinute, ringing,
        ...(campaign.type === 'progressive' ? { availableAgents: this.deps.availableAgents(campaign.queueId!) } : {}),
      });
      if (campaign.type === 'preview') await this.previewTick(campaign, previewing, allowed, now);
      else for (const contact of pickContacts(campaign, contacts.values(), now, allowed, this.deps.siteTimeZone)) await this.dial(campaign, contact, now);
      if (finished(contacts.values()) && mine.length === 0 && contacts.size > 0) {
        const done = { ...campaign, state: 'completed' as const, updatedAt: now };
        this.campaigns.set(campaign.id, done);
        await this.deps.store.saveCampaign(done);
        this.deps.logger.info({ campaignId: campaign.id }, 'campaign completed');
        this.emit('progress', progressOf(done, contacts.values()));
      }
    }
  }

  /** The do-not-call list is read at the moment of dialing (and of showing a preview): a number added a second ago is not dialed. */
  private async blockedByDnc(campaign: Campaign, contact: Contact): Promise<boolean> {
    if (!(await this.deps.store.dnc(contact.number))) return false;
    const blocked: Contact = { ...contact, state: 'dnc', nextAt: undefined, preview: undefined };
    this.contacts.get(campaign.id)!.set(contact.id, blocked);
    await this.deps.store.saveContacts([blocked]);
    this.changed(campaign, blocked);
    return true;
  }

  private async dial(campaign: Campaign, contact: Contact, now: number): Promise<void> {
    const contacts = this.contacts.get(campaign.id)!;
    if (await this.blockedByDnc(campaign, contact)) return;
    const n = contact.attempts.length + 1;
    const channelId = `camp-${campaign.id}-${contact.id}-${n}`;
    const dialing: Contact = { ...contact, state: 'dialing', nextAt: undefined, attempts: [...contact.attempts, { n, channelId, startedAt: now }] };
    contacts.set(contact.id, dialing);
    await this.deps.store.saveContacts([dialing]);
    this.dials.set(channelId, { campaignId: campaign.id, contactId: contact.id, startedAt: now, answered: false });
    this.noteRinging(campaign.id);
    this.changed(campaign, dialing);
    try {
      await this.deps.telephony.originate({
        channelId, endpoint: campaign.dial.replace('{number}', contact.number), role: CAMPAIGN_ROLE, args: [campaign.id, contact.id, String(n)],
        callerId: { number: campaign.callerId.number, name: campaign.callerId.name }, timeoutSeconds: campaign.pacing.ringSeconds,
      });
    } catch (error) {
      this.deps.logger.warn({ err: error, campaignId: campaign.id, contactId: contact.id }, 'campaign dial failed');
      await this.settle(channelId, 'failed', this.deps.clock.now(), { note: (error as Error).message.slice(0, 200) });
    }
  }

  // ---- preview (agent-first) ---------------------------------------------------------------

  /** The contact an agent is looking at now, with its campaign. */
  previewOf(agentId: string): { campaign: Campaign; contact: Contact } | undefined {
    for (const campaign of this.campaigns.values()) {
      for (const contact of this.contacts.get(campaign.id)!.values()) if (contact.state === 'preview' && contact.preview?.agentId === agentId) return { campaign, contact };
    }
    return undefined;
  }

  /** The agent pressed Call: the call is placed for them (their phone rings, then the customer is dialled). */
  callPreview(agentId: string): Promise<{ callId: string } | { dnc: true }> {
    return this.serial(async () => {
      const { campaign, contact } = this.ownPreview(agentId);
      return this.placePreview(campaign, contact, agentId);
    });
  }

  /** The agent skipped the contact: it goes back to the list (due again later), no attempt counted. */
  skipPreview(agentId: string): Promise<void> {
    return this.serial(async () => {
      const { campaign, contact } = this.ownPreview(agentId);
      const next = skipped(campaign, contact, this.deps.clock.now());
      this.contacts.get(campaign.id)!.set(contact.id, next);
      await this.deps.store.saveContacts([next]);
      this.changed(campaign, next);
      await this.deps.preview?.release(agentId).catch((error: Error) => this.deps.logger.warn({ err: error, agentId }, 'preview pause not ended'));
      this.kick();
    });
  }

  private ownPreview(agentId: string): { campaign: Campaign; contact: Contact } {
    const found = this.previewOf(agentId);
    if (!found) throw new PreviewRefused('PREVIEW_NOT_FOUND', `agent ${agentId} has no contact in preview`);
    if (found.campaign.state !== 'running') throw new PreviewRefused('PREVIEW_STATE', `campaign ${found.campaign.id} is ${found.campaign.state}`);
    return found;
  }

  /** Shows due contacts to free agents of the campaign's queue (one each), and places previews whose time is up. */
  private async previewTick(campaign: Campaign, previewing: Contact[], allowed: number, now: number): Promise<void> {
    const port = this.deps.preview;
    if (!port) return;
    const autoDial = campaign.preview.autoDialSeconds * 1000;
    if (autoDial > 0) for (const contact of previewing) if (contact.preview!.offeredAt + autoDial <= now) await this.placePreview(campaign, contact, contact.preview!.agentId);
    const looking = new Set<string>();
    for (const c of this.campaigns.values()) for (const contact of this.contacts.get(c.id)!.values()) if (contact.state === 'preview') looking.add(contact.preview!.agentId);
    const agents = port.freeAgents(campaign.queueId!).filter((a) => !looking.has(a));
    const picks = pickContacts(campaign, this.contacts.get(campaign.id)!.values(), now, Math.min(allowed, agents.length), this.deps.siteTimeZone);
    for (const [i, contact] of picks.entries()) {
      if (await this.blockedByDnc(campaign, contact)) continue;
      const shown: Contact = { ...contact, state: 'preview', nextAt: undefined, preview: { agentId: agents[i]!, offeredAt: now } };
      this.contacts.get(campaign.id)!.set(contact.id, shown);
      await this.deps.store.saveContacts([shown]);
      this.changed(campaign, shown);
      // Saved first: after a crash here the agent still sees the contact; the pause only keeps other calls away.
      await port.hold(agents[i]!).catch((error: Error) => this.deps.logger.warn({ err: error, agentId: agents[i] }, 'agent not held for preview'));
    }
  }

  private async placePreview(campaign: Campaign, contact: Contact, agentId: string): Promise<{ callId: string } | { dnc: true }> {
    const port = this.deps.preview!;
    if (await this.blockedByDnc(campaign, contact)) {
      await port.release(agentId).catch(() => undefined);
      return { dnc: true };
    }
    const now = this.deps.clock.now();
    const n = contact.attempts.length + 1;
    const callId = `camp-${campaign.id}-${contact.id}-${n}`;
    const dialing: Contact = { ...contact, state: 'dialing', preview: undefined, attempts: [...contact.attempts, { n, channelId: callId, startedAt: now }] };
    this.contacts.get(campaign.id)!.set(contact.id, dialing);
    await this.deps.store.saveContacts([dialing]);
    this.dials.set(callId, { campaignId: campaign.id, contactId: contact.id, startedAt: now, answered: false, placed: true });
    this.changed(campaign, dialing);
    try {
      await port.place({
        callId, agentId, queueId: campaign.queueId!, caller: { number: contact.number, name: contact.name ?? '' },
        endpoint: campaign.dial.replace('{number}', contact.number), callerId: campaign.callerId, ringSeconds: campaign.pacing.ringSeconds,
        campaign: { campaignId: campaign.id, contactId: contact.id, attempt: n, vars: contact.fields },
      });
    } catch (error) {
      this.deps.logger.warn({ err: error, campaignId: campaign.id, contactId: contact.id }, 'preview call not placed');
      this.dials.get(callId)!.placed = false;
      await this.settle(callId, 'failed', this.deps.clock.now(), { note: (error as Error).message.slice(0, 200) });
      await port.release(agentId).catch(() => undefined);
    }
    return { callId };
  }

  /** Takes a contact back from the agent looking at it (its campaign was paused or stopped). */
  private async withdraw(campaign: Campaign, contact: Contact): Promise<void> {
    const back: Contact = { ...contact, state: 'pending', preview: undefined };
    this.contacts.get(campaign.id)!.set(contact.id, back);
    await this.deps.store.saveContacts([back]);
    this.changed(campaign, back);
    await this.deps.preview?.release(contact.preview!.agentId).catch(() => undefined);
  }

  private noteRinging(campaignId: string): void {
    const ringing = [...this.dials.values()].filter((d) => d.campaignId === campaignId && !d.answered).length;
    this.maxRinging.set(campaignId, Math.max(this.maxRinging.get(campaignId) ?? 0, ringing));
  }

  private onTelephony(event: TelephonyEvent): void {
    if (event.type === 'leg-entered' && event.role === CAMPAIGN_ROLE) {
      void this.serial(() => this.answered(event.channelId, event.args));
    } else if (event.type === 'destroyed' && this.dials.has(event.channelId) && !this.dials.get(event.channelId)!.placed) {
      const at = this.deps.clock.now();
      void this.serial(async () => {
        const dial = this.dials.get(event.channelId);
        // An answered call ends through the call service ('ended'), with its result.
        if (dial && !dial.answered) await this.settle(event.channelId, outcomeOfCause(event.cause), at, { cause: event.cause });
      });
    }
  }

  private async answered(channelId: string, args: string[]): Promise<void> {
    const [campaignId, contactId, attempt] = args;
    const dial = this.dials.get(channelId);
    const campaign = this.campaigns.get(campaignId ?? '');
    const contact = this.contacts.get(campaignId ?? '')?.get(contactId ?? '');
    if (!dial || !campaign || !contact) {
      // Not ours (any more): a stopped or deleted campaign's call answered late.
      await this.deps.telephony.hangup(channelId).catch(() => undefined);
      return;
    }
    const version = campaign.flowId === undefined ? undefined : this.deps.flowVersion(campaign.flowId);
    if (version === undefined || campaign.state === 'stopped') {
      await this.deps.telephony.hangup(channelId).catch(() => undefined);
      await this.settle(channelId, 'abandoned', this.deps.clock.now(), { note: version === undefined ? `flow ${campaign.flowId} is not published` : 'campaign stopped' });
      return;
    }
    dial.answered = true;
    this.deps.calls.adoptOutbound({
      channelId, channelName: campaign.dial.replace('{number}', contact.number),
      caller: { number: contact.number, name: contact.name ?? '' }, dialed: contact.number,
      flow: { flowId: campaign.flowId!, version },
      campaign: { campaignId: campaign.id, contactId: contact.id, attempt: Number(attempt), vars: contact.fields },
    });
  }

  private async callEnded(state: CallState): Promise<void> {
    const dial = this.dials.get(state.channelId);
    const { campaignId, contactId } = state.campaign!;
    const campaign = this.campaigns.get(campaignId);
    const contact = this.contacts.get(campaignId)?.get(contactId);
    if (!campaign || !contact) return;
    const last = contact.attempts.at(-1);
    if (!dial && (contact.state !== 'dialing' || last?.channelId !== state.channelId)) return;
    const at = state.endedAt ?? this.deps.clock.now();
    if (state.placed && state.answeredAt === undefined) {
      // A preview call that never reached its customer: the agent missed it, or the customer did not answer.
      const notDialled = /^(not dialled|dial refused)/.test(state.endReason ?? '');
      const outcome = notDialled ? 'failed' : outcomeOfCause(state.hangupCause ?? 0);
      return this.settle(state.channelId, outcome, at, { ...(state.hangupCause !== undefined ? { cause: state.hangupCause } : {}), ...(notDialled ? { note: state.endReason } : {}) }, undefined, { campaignId, contactId });
    }
    const reachedAgent = await this.deps.calls.agentOf(state.callId);
    const outcome: AttemptOutcome = campaign.type !== 'automated' && !reachedAgent ? 'abandoned' : 'answered';
    const result = { callId: state.callId, digits: state.digits, vars: (state.ivr?.vars ?? {}) as Record<string, unknown>, ...(reachedAgent ? { reachedAgent } : {}) };
    await this.settle(state.channelId, outcome, at, {}, result, { campaignId, contactId });
  }

  /** Ends the latest attempt of the dial's contact with `outcome`, saves, and frees capacity. */
  private async settle(channelId: string, outcome: AttemptOutcome, at: number, detail: { cause?: number; note?: string }, result?: Contact['result'], ids?: { campaignId: string; contactId: string }): Promise<void> {
    const dial = this.dials.get(channelId);
    this.dials.delete(channelId);
    // A call that ended before this run tracked it names its contact itself (state.campaign).
    const { campaignId, contactId } = dial ?? ids ?? { campaignId: '', contactId: '' };
    const campaign = this.campaigns.get(campaignId);
    const contact = this.contacts.get(campaignId)?.get(contactId);
    if (!campaign || !contact || contact.attempts.at(-1)?.channelId !== channelId || contact.attempts.at(-1)?.outcome) return;
    const next = { ...afterAttempt(campaign, contact, outcome, at, detail), ...(result ? { result } : {}) };
    this.contacts.get(campaignId)!.set(contactId, next);
    await this.deps.store.saveContacts([next]);
    this.deps.logger.info({ campaignId, contactId, attempt: next.attempts.length, outcome, state: next.state }, 'campaign attempt ended');
    this.changed(campaign, next);
    this.kick();
  }

  private changed(campaign: Campaign, contact: Contact): void {
    this.emit('attempt', campaign, contact);
    this.emit('progress', progressOf(campaign, this.contacts.get(campaign.id)?.values() ?? []));
  }

  /** A contact saved as 'dialing' by the previous run: find out what became of that attempt. */
  private async recover(campaign: Campaign, contact: Contact, live: Set<string>): Promise<void> {
    const attempt = contact.attempts.at(-1)!;
    const record = await this.deps.calls.record(attempt.channelId);
    if (record?.placed && record.phase !== 'ended') {
      // A preview call the restarted call service and queue still hold: its end comes as 'ended'.
      this.dials.set(attempt.channelId, { campaignId: campaign.id, contactId: contact.id, startedAt: attempt.startedAt, answered: true, placed: true });
      return;
    }
    if (live.has(attempt.channelId)) {
      // Still up: ringing (its end comes as 'destroyed') or a call the call service resumed.
      this.dials.set(attempt.channelId, { campaignId: campaign.id, contactId: contact.id, startedAt: attempt.startedAt, answered: record !== undefined });
      return;
    }
    if (record?.phase === 'ended') {
      this.dials.set(attempt.channelId, { campaignId: campaign.id, contactId: contact.id, startedAt: attempt.startedAt, answered: true });
      await this.callEnded(record);
      return;
    }
    // Gone without a trace (or the call died with the process): the attempt counts, it is not redone.
    this.dials.set(attempt.channelId, { campaignId: campaign.id, contactId: contact.id, startedAt: attempt.startedAt, answered: false });
    await this.settle(attempt.channelId, 'failed', this.deps.clock.now(), { note: 'interrupted by a restart' });
  }
}

