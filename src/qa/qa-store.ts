// QA data in the store's `qa` section. Layout (keys sort as strings):
//   criteria                                  the criteria document (with its revision)
//   eval!<callId>!<reviewer>                  one evaluation per reviewer per call
//   comment!<callId>!<at:13>!<id>             the call's comment thread, oldest first
import { prefixRange, type Section, type Store } from '../store/store.ts';
import type { CriteriaDocument, Evaluation, QaComment } from './qa-types.ts';

const pad = (n: number, width: number) => String(Math.max(0, Math.floor(n))).padStart(width, '0');
/** Call ids and user names come from outside: keep the key separator out of them. */
const keyPart = (text: string) => encodeURIComponent(text).replace(/!/g, '%21');

export class QaStore {
  private readonly section: Section;

  constructor(store: Store) {
    this.section = store.section('qa');
  }

  criteria(): Promise<CriteriaDocument | undefined> {
    return this.section.get<CriteriaDocument>('criteria');
  }

  putCriteria(doc: CriteriaDocument): Promise<void> {
    return this.section.batch([{ type: 'put', key: 'criteria', value: doc }]);
  }

  evaluation(callId: string, reviewer: string): Promise<Evaluation | undefined> {
    return this.section.get<Evaluation>(`eval!${keyPart(callId)}!${keyPart(reviewer)}`);
  }

  putEvaluation(evaluation: Evaluation): Promise<void> {
    return this.section.batch([{ type: 'put', key: `eval!${keyPart(evaluation.callId)}!${keyPart(evaluation.reviewer)}`, value: evaluation }]);
  }

  async evaluations(callId: string): Promise<Evaluation[]> {
    const out: Evaluation[] = [];
    for await (const [, e] of this.section.entries<Evaluation>(prefixRange(`eval!${keyPart(callId)}!`))) out.push(e);
    return out;
  }

  putComment(comment: QaComment): Promise<void> {
    return this.section.batch([{ type: 'put', key: `comment!${keyPart(comment.callId)}!${pad(comment.at, 13)}!${comment.id}`, value: comment }]);
  }

  async comments(callId: string): Promise<QaComment[]> {
    const out: QaComment[] = [];
    for await (const [, c] of this.section.entries<QaComment>(prefixRange(`comment!${keyPart(callId)}!`))) out.push(c);
    return out;
  }
}
