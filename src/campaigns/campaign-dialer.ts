// The dialer: runs the campaigns' decisions (campaign-machine.ts) against Asterisk. One writer:
// every change goes through one promise chain, in order. An attempt is saved with its channel id
// BEFORE its number is dialed, so after a crash a restart never dials that attempt again: it
// finds the call (live, or ended in the call records) or counts the attempt as interrupted.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { CallState } from '../calls/call-types.ts';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Telephony, TelephonyEvent } from '../telephony/telephony.ts';
import { afterAttempt, dialsAllowed, finished, outcomeOfCause, pickContacts, progressOf } from './campaign-machine.ts';
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
  tickMs?: number;
}

interface Dial {
  campaignId: string;
  contactId: string;
  startedAt: number;
  answered: boolean;
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
      if (campaign.state === 'running') this.kick();
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
      if (campaign.state !== 'running') continue;
      const contacts = this.contacts.get(campaign.id)!;
      const mine = [...this.dials.values()].filter((d) => d.campaignId === campaign.id);
      const startedLastMinute = [...contacts.values()].reduce((n, c) => n + c.attempts.filter((a) => a.startedAt > now - 60_000).length, 0);
      const ringing = mine.filter((d) => !d.answered).length;
      const allowed = dialsAllowed(campaign, {
        active: mine.length, startedLastMinute, ringing,
        ...(campaign.type === 'progressive' ? { availableAgents: this.deps.availableAgents(campaign.queueId!) } : {}),
      });
      for (const contact of pickContacts(campaign, contacts.values(), now, allowed, this.deps.siteTimeZone)) await this.dial(campaign, contact, now);
      if (finished(contacts.values()) && mine.length === 0 && contacts.size > 0) {
        const done = { ...campaign, state: 'completed' as const, updatedAt: now };
        this.campaigns.set(campaign.id, done);
        await this.deps.store.saveCampaign(done);
        this.deps.logger.info({ campaignId: campaign.id }, 'campaign completed');
        this.emit('progress', progressOf(done, contacts.values()));
      }
    }
  }

  private async dial(campaign: Campaign, contact: Contact, now: number): Promise<void> {
    const contacts = this.contacts.get(campaign.id)!;
    // The do-not-call list is read at the moment of dialing: a number added a second ago is not dialed.
    if (await this.deps.store.dnc(contact.number)) {
      const blocked: Contact = { ...contact, state: 'dnc', nextAt: undefined };
      contacts.set(contact.id, blocked);
      await this.deps.store.saveContacts([blocked]);
      this.changed(campaign, blocked);
      return;
    }
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

  private noteRinging(campaignId: string): void {
    const ringing = [...this.dials.values()].filter((d) => d.campaignId === campaignId && !d.answered).length;
    this.maxRinging.set(campaignId, Math.max(this.maxRinging.get(campaignId) ?? 0, ringing));
  }

  private onTelephony(event: TelephonyEvent): void {
    if (event.type === 'leg-entered' && event.role === CAMPAIGN_ROLE) {
      void this.serial(() => this.answered(event.channelId, event.args));
    } else if (event.type === 'destroyed' && this.dials.has(event.channelId)) {
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
    const version = this.deps.flowVersion(campaign.flowId);
    if (version === undefined || campaign.state === 'stopped') {
      await this.deps.telephony.hangup(channelId).catch(() => undefined);
      await this.settle(channelId, 'abandoned', this.deps.clock.now(), { note: version === undefined ? `flow ${campaign.flowId} is not published` : 'campaign stopped' });
      return;
    }
    dial.answered = true;
    this.deps.calls.adoptOutbound({
      channelId, channelName: campaign.dial.replace('{number}', contact.number),
      caller: { number: contact.number, name: contact.name ?? '' }, dialed: contact.number,
      flow: { flowId: campaign.flowId, version },
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
    const reachedAgent = await this.deps.calls.agentOf(state.callId);
    const outcome: AttemptOutcome = campaign.type === 'progressive' && !reachedAgent ? 'abandoned' : 'answered';
    const result = { callId: state.callId, digits: state.digits, vars: (state.ivr?.vars ?? {}) as Record<string, unknown>, ...(reachedAgent ? { reachedAgent } : {}) };
    await this.settle(state.channelId, outcome, state.endedAt ?? this.deps.clock.now(), {}, result, { campaignId, contactId });
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

