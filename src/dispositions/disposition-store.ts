// Disposition categories, queue policies and each call's classifications, in the store's
// `dispositions` section:
//   cat!<categoryId>                    Stored<Category>
//   policy!<queueId>                    Stored<QueuePolicy>
//   call!<callId>                       CallDisposition (current category + history)
//   started!<startedAt:13>!<callId>     callId: classified calls by the call's start (reports)
// Categories and policies are documents with revisions (If-Match; a stale one is
// DISPOSITION_CONFLICT). Writes go one at a time, so a revision check and its write never
// interleave with another request's.
import { prefixRange, type Section, type Store } from '../store/store.ts';
import { DispositionError, type DispositionIssue } from './disposition-errors.ts';
import { categorySchema, MAX_DEPTH, POLICIES, type CallDisposition, type Category, type DispositionEntry, type QueuePolicy, type Stored } from './disposition-types.ts';

const time = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(13, '0');
/** Queue ids come from settings: keep the key separator out of them. */
const keyPart = (text: string) => encodeURIComponent(text).replace(/!/g, '%21');
export const MAX_NOTE = 2000;

/** What a classification needs to know about the call it is for (from the call records). */
export interface ClassifiedCall {
  callId: string;
  startedAt: number;
  caller: string;
  queues: string[];
}

export class DispositionStore {
  private readonly section: Section;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(store: Store, private readonly now: () => number) {
    this.section = store.section('dispositions');
  }

  /** Runs writes one after another (a revision check and its write stay together). */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async categories(): Promise<Stored<Category>[]> {
    const out: Stored<Category>[] = [];
    for await (const [, stored] of this.section.entries<Stored<Category>>(prefixRange('cat!'))) out.push(stored);
    return out;
  }

  category(id: string): Promise<Stored<Category> | undefined> {
    return this.section.get<Stored<Category>>(`cat!${id}`);
  }

  /**
   * Creates (revision 0) or replaces a category. The parent must exist, the tree stays acyclic and
   * at most MAX_DEPTH deep; the id in the path wins over one in the body.
   */
  putCategory(id: string, body: unknown, revision: number, by: string): Promise<{ before?: Stored<Category>; after: Stored<Category> }> {
    return this.serial(async () => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DispositionError('DISPOSITION_INVALID', 'a category is a JSON object', [{ path: [], message: 'the body must be an object' }]);
      const parsed = categorySchema.safeParse({ ...body, id });
      if (!parsed.success) {
        const issues: DispositionIssue[] = parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
        throw new DispositionError('DISPOSITION_INVALID', `category ${id}: ${issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`, issues);
      }
      const category = parsed.data;
      const all = new Map((await this.categories()).map((s) => [s.value.id, s.value]));
      const before = await this.category(id);
      if ((before?.revision ?? 0) !== revision) throw new DispositionError('DISPOSITION_CONFLICT', `category ${id} is at revision ${before?.revision ?? 0}, not ${revision}: reload and try again`);
      all.set(id, category);
      this.checkTree(all, id);
      const after: Stored<Category> = { value: category, revision: (before?.revision ?? 0) + 1, updatedAt: this.now(), updatedBy: by };
      await this.section.batch([{ type: 'put', key: `cat!${id}`, value: after }]);
      return { ...(before ? { before } : {}), after };
    });
  }

  /** Deletes a category no call and no other category uses; used ones are retired instead. */
  deleteCategory(id: string, revision: number | undefined): Promise<Stored<Category>> {
    return this.serial(async () => {
      const before = await this.category(id);
      if (!before) throw new DispositionError('DISPOSITION_NOT_FOUND', `no category ${id}`);
      if (revision !== undefined && before.revision !== revision) throw new DispositionError('DISPOSITION_CONFLICT', `category ${id} is at revision ${before.revision}, not ${revision}: reload and try again`);
      if ((await this.categories()).some((s) => s.value.parentId === id)) throw new DispositionError('DISPOSITION_IN_USE', `category ${id} has sub-categories: retire it (active: false) instead`);
      if (await this.usedBy(id)) throw new DispositionError('DISPOSITION_IN_USE', `calls are classified as ${id}: retire it (active: false) instead, so old calls keep their category`);
      await this.section.batch([{ type: 'del', key: `cat!${id}` }]);
      return before;
    });
  }

  private async usedBy(categoryId: string): Promise<boolean> {
    for await (const [, call] of this.section.entries<CallDisposition>(prefixRange('call!'))) {
      if (call.history.some((e) => e.categoryId === categoryId)) return true;
    }
    return false;
  }

  private checkTree(all: Map<string, Category>, changed: string): void {
    const category = all.get(changed)!;
    if (category.parentId !== undefined && !all.has(category.parentId)) {
      throw new DispositionError('DISPOSITION_INVALID', `parent ${category.parentId} does not exist`, [{ path: ['parentId'], message: `no category ${category.parentId}` }]);
    }
    // Every category whose chain passes through the changed one: depth and cycles.
    for (const start of all.values()) {
      const seen = new Set<string>();
      let at: Category | undefined = start;
      while (at) {
        if (seen.has(at.id)) throw new DispositionError('DISPOSITION_INVALID', `category ${changed} under ${category.parentId} would make a loop`, [{ path: ['parentId'], message: 'a category cannot be under itself or its own sub-category' }]);
        seen.add(at.id);
        at = at.parentId === undefined ? undefined : all.get(at.parentId);
      }
      if (seen.size > MAX_DEPTH && seen.has(changed)) throw new DispositionError('DISPOSITION_INVALID', `categories nest at most ${MAX_DEPTH} deep`, [{ path: ['parentId'], message: `at most ${MAX_DEPTH} levels` }]);
    }
  }

  async policies(): Promise<{ queueId: string; stored: Stored<QueuePolicy> }[]> {
    const out: { queueId: string; stored: Stored<QueuePolicy> }[] = [];
    for await (const [key, stored] of this.section.entries<Stored<QueuePolicy>>(prefixRange('policy!'))) out.push({ queueId: decodeURIComponent(key.slice('policy!'.length)), stored });
    return out;
  }

  policy(queueId: string): Promise<Stored<QueuePolicy> | undefined> {
    return this.section.get<Stored<QueuePolicy>>(`policy!${keyPart(queueId)}`);
  }

  putPolicy(queueId: string, policy: unknown, revision: number, by: string): Promise<{ before?: Stored<QueuePolicy>; after: Stored<QueuePolicy> }> {
    return this.serial(async () => {
      if (!(POLICIES as readonly unknown[]).includes(policy)) throw new DispositionError('DISPOSITION_INVALID', `policy must be one of ${POLICIES.join(', ')}`, [{ path: ['policy'], message: `one of ${POLICIES.join(', ')}` }]);
      const before = await this.policy(queueId);
      if ((before?.revision ?? 0) !== revision) throw new DispositionError('DISPOSITION_CONFLICT', `queue ${queueId}'s policy is at revision ${before?.revision ?? 0}, not ${revision}: reload and try again`);
      const after: Stored<QueuePolicy> = { value: policy as QueuePolicy, revision: (before?.revision ?? 0) + 1, updatedAt: this.now(), updatedBy: by };
      await this.section.batch([{ type: 'put', key: `policy!${keyPart(queueId)}`, value: after }]);
      return { ...(before ? { before } : {}), after };
    });
  }

  call(callId: string): Promise<CallDisposition | undefined> {
    return this.section.get<CallDisposition>(`call!${callId}`);
  }

  /** A new classification of a call: the last one wins, the earlier ones stay in its history. */
  classify(call: ClassifiedCall, categoryId: string, by: string, note: string | undefined): Promise<{ before?: CallDisposition; after: CallDisposition }> {
    return this.serial(async () => {
      const category = await this.category(categoryId);
      if (!category) throw new DispositionError('DISPOSITION_INVALID', `no category ${categoryId}`, [{ path: ['categoryId'], message: `no category ${categoryId}` }]);
      if (!category.value.active) throw new DispositionError('DISPOSITION_RETIRED', `category ${categoryId} is retired: choose another`, [{ path: ['categoryId'], message: 'retired' }]);
      const text = note?.trim();
      if (text && text.length > MAX_NOTE) throw new DispositionError('DISPOSITION_INVALID', `the note is longer than ${MAX_NOTE} characters`, [{ path: ['note'], message: `at most ${MAX_NOTE} characters` }]);
      const before = await this.call(call.callId);
      const entry: DispositionEntry = { categoryId, by, at: this.now(), ...(text ? { note: text } : {}) };
      const after: CallDisposition = { callId: call.callId, startedAt: call.startedAt, caller: call.caller, queues: call.queues, categoryId, history: [...(before?.history ?? []), entry] };
      await this.section.batch([
        { type: 'put', key: `call!${call.callId}`, value: after },
        { type: 'put', key: `started!${time(call.startedAt)}!${call.callId}`, value: call.callId },
      ]);
      return { ...(before ? { before } : {}), after };
    });
  }

  /** Classified calls that started in [from, to), oldest first. */
  async *classified(from: number, to: number): AsyncIterable<CallDisposition> {
    for await (const [, callId] of this.section.entries<string>({ gte: `started!${time(from)}`, lt: `started!${time(to)}` })) {
      const call = await this.call(callId);
      if (call) yield call;
    }
  }
}
