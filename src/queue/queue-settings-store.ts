// Queue and agent settings as documents people edit, each with its own revision, in the store's
// `queues` section:
//   cfg!queue!<id>   { value: QueueSettings, revision, updatedAt, updatedBy }
//   cfg!agent!<id>   { value: AgentSettings, … }
//   cfg!seed         sha256 of the site file's queues and agents last applied
// The site file seeds them and wins whenever its queues or agents change (the box was
// re-provisioned on purpose); otherwise admins' edits stand across restarts. A change is checked
// whole (checkQueues: overflow targets, unique extensions), handed to the running ACD (which may
// refuse: QUEUE_BUSY, AGENT_BUSY), and only then written.
import { createHash } from 'node:crypto';
import type { BatchOperation, Section, Store } from '../store/store.ts';
import { prefixRange } from '../store/store.ts';
import { agentSchema, checkQueues, queueSchema, type AgentSettings, type QueueSettings } from './queue-config.ts';

export type SettingsKind = 'queue' | 'agent';
type ValueOf<K extends SettingsKind> = K extends 'queue' ? QueueSettings : AgentSettings;

export interface StoredSettings<T> {
  value: T;
  revision: number;
  updatedAt: number;
  updatedBy: string;
}

export interface SettingsIssue {
  path: (string | number)[];
  message: string;
}

export class QueueSettingsError extends Error {
  constructor(readonly code: 'QUEUE_SETTINGS_INVALID' | 'QUEUE_SETTINGS_CONFLICT' | 'QUEUE_SETTINGS_NOT_FOUND', message: string, readonly issues: SettingsIssue[] = []) {
    super(message);
  }
}

export const SITE_FILE_ACTOR = 'system:site-file';

/** What the running ACD does with a whole new set (QueueService.reconfigure); it may refuse. */
export type ApplySettings = (queues: QueueSettings[], agents: AgentSettings[]) => Promise<void>;

const seedOf = (queues: readonly QueueSettings[], agents: readonly AgentSettings[]) => createHash('sha256').update(JSON.stringify({ queues, agents })).digest('hex');
const key = (kind: SettingsKind, id: string) => `cfg!${kind}!${id}`;

export class QueueSettingsStore {
  private readonly section: Section;
  private readonly items = { queue: new Map<string, StoredSettings<QueueSettings>>(), agent: new Map<string, StoredSettings<AgentSettings>>() };
  private tail: Promise<unknown> = Promise.resolve();

  constructor(store: Store, private readonly now: () => number) {
    this.section = store.section('queues');
  }

  /** Loads the settings; the site file's replace them when they changed since the last start. */
  async load(siteQueues: QueueSettings[], siteAgents: AgentSettings[]): Promise<{ fromSiteFile: boolean }> {
    for (const kind of ['queue', 'agent'] as const) {
      for await (const [, stored] of this.section.entries<StoredSettings<never>>(prefixRange(`cfg!${kind}!`))) this.items[kind].set((stored.value as { id: string }).id, stored);
    }
    const seed = seedOf(siteQueues, siteAgents);
    if ((await this.section.get<string>('cfg!seed')) === seed) return { fromSiteFile: false };
    const ops: BatchOperation[] = [{ type: 'put', key: 'cfg!seed', value: seed }];
    const replace = <K extends SettingsKind>(kind: K, values: ValueOf<K>[]) => {
      const map = this.items[kind] as Map<string, StoredSettings<ValueOf<K>>>;
      const ids = new Set(values.map((v) => v.id));
      for (const id of map.keys()) if (!ids.has(id)) ops.push({ type: 'del', key: key(kind, id) });
      const next = new Map(values.map((value) => [value.id, { value, revision: (map.get(value.id)?.revision ?? 0) + 1, updatedAt: this.now(), updatedBy: SITE_FILE_ACTOR }]));
      map.clear();
      for (const [id, stored] of next) {
        map.set(id, stored);
        ops.push({ type: 'put', key: key(kind, id), value: stored });
      }
    };
    replace('queue', siteQueues);
    replace('agent', siteAgents);
    await this.section.batch(ops);
    return { fromSiteFile: true };
  }

  queues(): QueueSettings[] {
    return [...this.items.queue.values()].map((s) => s.value);
  }

  agents(): AgentSettings[] {
    return [...this.items.agent.values()].map((s) => s.value);
  }

  list<K extends SettingsKind>(kind: K): StoredSettings<ValueOf<K>>[] {
    return [...(this.items[kind] as Map<string, StoredSettings<ValueOf<K>>>).values()].sort((a, b) => a.value.id.localeCompare(b.value.id));
  }

  get<K extends SettingsKind>(kind: K, id: string): StoredSettings<ValueOf<K>> | undefined {
    return (this.items[kind] as Map<string, StoredSettings<ValueOf<K>>>).get(id);
  }

  /** Creates (revision 0) or replaces (the revision read) one queue or agent. */
  put<K extends SettingsKind>(kind: K, id: string, raw: unknown, revision: number, by: string, apply: ApplySettings): Promise<StoredSettings<ValueOf<K>>> {
    return this.serial(async () => {
      const parsed = (kind === 'queue' ? queueSchema : agentSchema).safeParse(raw);
      if (!parsed.success) throw new QueueSettingsError('QUEUE_SETTINGS_INVALID', `bad ${kind} settings`, parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })));
      const value = parsed.data as ValueOf<K>;
      if (value.id !== id) throw new QueueSettingsError('QUEUE_SETTINGS_INVALID', `the body's id ${value.id} is not ${id}`, [{ path: ['id'], message: `must be ${id}` }]);
      this.checkRevision(kind, id, revision);
      const stored = { value, revision: revision + 1, updatedAt: this.now(), updatedBy: by };
      await this.commit(kind, id, stored, apply);
      return stored;
    });
  }

  remove(kind: SettingsKind, id: string, revision: number, apply: ApplySettings): Promise<void> {
    return this.serial(async () => {
      if (!this.get(kind, id)) throw new QueueSettingsError('QUEUE_SETTINGS_NOT_FOUND', `no ${kind} ${id}`);
      this.checkRevision(kind, id, revision);
      await this.commit(kind, id, undefined, apply);
    });
  }

  private checkRevision(kind: SettingsKind, id: string, revision: number): void {
    const current = this.get(kind, id)?.revision ?? 0;
    if (current !== revision) {
      throw new QueueSettingsError('QUEUE_SETTINGS_CONFLICT', current === 0 ? `${kind} ${id} does not exist (any more): create it with revision 0` : `${kind} ${id} is at revision ${current}, not ${revision}: reload and edit again`);
    }
  }

  /** Checks the whole set with the change, lets the ACD take it, then writes it. */
  private async commit<K extends SettingsKind>(kind: K, id: string, stored: StoredSettings<ValueOf<K>> | undefined, apply: ApplySettings): Promise<void> {
    const map = this.items[kind] as Map<string, StoredSettings<ValueOf<K>>>;
    const next = new Map(map);
    if (stored) next.set(id, stored);
    else next.delete(id);
    const values = [...next.values()].map((s) => s.value);
    const queues = kind === 'queue' ? (values as QueueSettings[]) : this.queues();
    const agents = kind === 'agent' ? (values as AgentSettings[]) : this.agents();
    const problems = checkQueues(queues, agents);
    if (problems.length) throw new QueueSettingsError('QUEUE_SETTINGS_INVALID', problems.map((p) => p.message).join('; '), problems);
    await apply(queues, agents);
    await this.section.batch([stored ? { type: 'put', key: key(kind, id), value: stored } : { type: 'del', key: key(kind, id) }]);
    if (stored) map.set(id, stored);
    else map.delete(id);
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job, job);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
