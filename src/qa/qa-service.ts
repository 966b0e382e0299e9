// QA of recorded calls: the criteria (defaults until an admin sets them; a change must name the
// revision it was based on), one evaluation per reviewer per call (saving again replaces the
// reviewer's own), and a comment thread per call. Changes return before/after for the audit log.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { QaError } from './qa-errors.ts';
import { QaStore } from './qa-store.ts';
import type { CallQa, CriteriaDocument, Criterion, Evaluation, EvaluationInput, QaComment } from './qa-types.ts';
import { parseCommentText, parseCriteria, scoreEvaluation } from './qa-validation.ts';

/** What a site starts with: the usual contact-center checklist, in both languages. */
export const DEFAULT_CRITERIA: readonly Criterion[] = [
  { id: 'greeting', label: { en: 'Greeting and identification', 'zh-CN': '问候与身份核实' }, weight: 1, maxScore: 5 },
  { id: 'understanding', label: { en: 'Understood the need', 'zh-CN': '准确理解客户需求' }, weight: 2, maxScore: 5 },
  { id: 'resolution', label: { en: 'Resolution', 'zh-CN': '问题解决' }, weight: 3, maxScore: 5 },
  { id: 'courtesy', label: { en: 'Courtesy and tone', 'zh-CN': '礼貌与语气' }, weight: 1, maxScore: 5 },
  { id: 'compliance', label: { en: 'Compliance and closing', 'zh-CN': '合规与结束语' }, weight: 1, maxScore: 5 },
];

export const MAX_COMMENTS_PER_CALL = 500;

export interface QaServiceDeps {
  store: Store;
  clock: Clock;
  /** Whether a call exists (its record): evaluations and comments are for real calls only. */
  callExists: (callId: string) => Promise<boolean>;
}

export class QaService {
  private readonly data: QaStore;
  /** Read-check-write steps run one at a time (a revision check must see the last write). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: QaServiceDeps) {
    this.data = new QaStore(deps.store);
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async criteria(): Promise<CriteriaDocument> {
    return (await this.data.criteria()) ?? { criteria: DEFAULT_CRITERIA.map((c) => ({ ...c, label: { ...c.label } })), revision: 0 };
  }

  /** Replaces the criteria; `revision` must be the one read, else QA_CONFLICT (someone else changed them). */
  setCriteria(input: unknown, revision: number, by: string): Promise<{ before: CriteriaDocument; after: CriteriaDocument }> {
    return this.serial(async () => {
      const criteria = parseCriteria(input);
      const before = await this.criteria();
      if (revision !== before.revision) throw new QaError('QA_CONFLICT', `the criteria changed since revision ${revision} (now ${before.revision}): reload them and apply your change again`);
      const after: CriteriaDocument = { criteria, revision: before.revision + 1, updatedAt: this.deps.clock.now(), updatedBy: by };
      await this.data.putCriteria(after);
      return { before, after };
    });
  }

  async forCall(callId: string): Promise<CallQa> {
    await this.mustExist(callId);
    return { callId, evaluations: await this.data.evaluations(callId), comments: await this.data.comments(callId) };
  }

  /** The reviewer's evaluation of the call (a second save replaces their first). */
  evaluate(callId: string, reviewer: string, input: EvaluationInput): Promise<{ before: Evaluation | undefined; after: Evaluation }> {
    return this.serial(async () => {
      await this.mustExist(callId);
      const { criteria, revision } = await this.criteria();
      const scored = scoreEvaluation(criteria, input);
      const before = await this.data.evaluation(callId, reviewer);
      const now = this.deps.clock.now();
      const after: Evaluation = { callId, reviewer, ...scored, criteriaRevision: revision, createdAt: before?.createdAt ?? now, updatedAt: now };
      await this.data.putEvaluation(after);
      return { before, after };
    });
  }

  comment(callId: string, author: string, text: unknown): Promise<QaComment> {
    return this.serial(async () => {
      const body = parseCommentText(text);
      await this.mustExist(callId);
      if ((await this.data.comments(callId)).length >= MAX_COMMENTS_PER_CALL) throw new QaError('QA_TOO_MANY_COMMENTS', `call ${callId} has ${MAX_COMMENTS_PER_CALL} comments already`);
      const comment: QaComment = { id: randomBytes(6).toString('hex'), callId, author, text: body, at: this.deps.clock.now() };
      await this.data.putComment(comment);
      return comment;
    });
  }

  private async mustExist(callId: string): Promise<void> {
    if (!(await this.deps.callExists(callId))) throw new QaError('QA_CALL_NOT_FOUND', `no call ${callId}`);
  }
}
