// Call classification (disposition codes): what admins define and agents choose at wrap-up.
import { z } from 'zod';

export const CATEGORY_ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
/** Billing › Dispute › Refund › …: deeper trees stop being pickable in one glance. */
export const MAX_DEPTH = 4;

const name = z.string().trim().min(1, 'a name is required').max(80);
const ids = (label: string) => z.array(z.string().trim().min(1).max(128)).max(50).optional().describe(label);

/** When a category is suggested: any one signal of the call matching is enough. */
export const matchSchema = z.object({
  flows: ids('IVR flow ids the call ran'),
  menuKeys: z.array(z.string().regex(/^[0-9*#]{1,12}$/, 'menu keys: the keys pressed in IVR menus, in order (e.g. "21")')).max(50).optional(),
  articles: ids('knowledge article ids shown, opened or marked helpful'),
  campaigns: ids('outbound campaign ids'),
}).strict();
export type CategoryMatch = z.infer<typeof matchSchema>;

export const categorySchema = z.object({
  id: z.string().regex(CATEGORY_ID, 'an id: lower-case letters, digits, - and _').max(64),
  names: z.object({ en: name, 'zh-CN': name }).strict(),
  parentId: z.string().regex(CATEGORY_ID).max(64).optional(),
  active: z.boolean().default(true),
  match: matchSchema.optional(),
}).strict();
export type Category = z.infer<typeof categorySchema>;

export const POLICIES = ['required', 'optional', 'off'] as const;
export type QueuePolicy = (typeof POLICIES)[number];
/** A queue nobody set a policy for: the panel is offered, saving is not required. */
export const DEFAULT_POLICY: QueuePolicy = 'optional';

export interface Stored<T> {
  value: T;
  revision: number;
  updatedAt: number;
  updatedBy: string;
}

/** One classification of one call; a later one supersedes it (the last wins, all are kept). */
export interface DispositionEntry {
  categoryId: string;
  by: string;
  at: number;
  note?: string;
}

/** What the reports read per classified call: its current category and what to group it by. */
export interface CallDisposition {
  callId: string;
  startedAt: number;
  caller: string;
  queues: string[];
  categoryId: string;
  /** Every entry, oldest first. */
  history: DispositionEntry[];
}
