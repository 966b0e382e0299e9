// The webhook capability's data: what an admin subscribes, what waits in the outbox, and what the
// delivery log keeps. Everything here is stored as JSON in the store's `webhooks` section.

/** The events a business platform can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['call.ended', 'followup.created', 'followup.closed', 'voicemail.left', 'survey.result'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** What a subscription lists: event types, or `*` for every type (including ones added later). */
export type WebhookEventFilter = WebhookEventType | '*';

/** A subscription as stored. The secret never leaves the service except once, when it is made. */
export interface StoredSubscription {
  id: string;
  url: string;
  events: WebhookEventFilter[];
  description?: string;
  /** Signs every delivery (HMAC-SHA256 key, used as the UTF-8 bytes of this string). */
  secret: string;
  enabled: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
  /** Failed attempts since the last delivered one; reaching the policy's limit disables. */
  consecutiveFailures: number;
  disabledReason?: string;
  disabledAt?: number;
  /** Sequence number of the next delivery-log row of this subscription. */
  logSeq: number;
}

/** A subscription as shown to people and programs: without the secret. */
export type Subscription = Omit<StoredSubscription, 'secret' | 'logSeq'>;

export function publicView(stored: StoredSubscription): Subscription {
  const { secret: _secret, logSeq: _logSeq, ...view } = stored;
  return view;
}

export interface PublishInput {
  type: WebhookEventType;
  /** A JSON object: what happened (e.g. the call's id, caller, outcome). */
  data: Record<string, unknown>;
  /** Epoch ms; default: now on the service's clock. */
  occurredAt?: number;
  /**
   * Names the occurrence (e.g. `call.ended:<callId>`): publishing the same key again within a week
   * queues nothing and answers the first event's id. Producers that replay after a crash use it.
   */
  once?: string;
}

/** One event waiting for one subscription. Keyed by subscription then event id, so in event order. */
export interface OutboxEntry {
  subscriptionId: string;
  eventId: string;
  eventType: WebhookEventType;
  /** The exact JSON body: every attempt sends the same bytes, so signatures and dedupe agree. */
  body: string;
  /** When the event was published (epoch ms); the give-up age counts from here. */
  createdAt: number;
  /** Attempts made so far. */
  attempts: number;
  /** Not attempted before this time (epoch ms). */
  nextAttemptAt: number;
  lastError?: string;
}

/** An entry given up on: kept (with its body) so that people can see what the receiver missed. */
export interface DeadLetter {
  entry: OutboxEntry;
  at: number;
  reason: string;
}

export type AttemptResult = 'delivered' | 'retry' | 'dead-lettered';

/** One row of a subscription's delivery log. */
export interface DeliveryAttempt {
  /** Epoch ms the attempt started. */
  at: number;
  eventId: string;
  eventType: WebhookEventType;
  /** 1 for the first attempt of this event. */
  attempt: number;
  result: AttemptResult;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** How long the attempt took. */
  ms: number;
  error?: string;
}
