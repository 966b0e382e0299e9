// Wiring only: the call-classification capability on the appliance's store, call records and
// knowledge base.
import type { CallRecords } from '../calls/call-records.ts';
import type { Store } from '../store/store.ts';
import { DispositionService } from './disposition-service.ts';

export interface DispositionModuleDeps {
  store: Store;
  now: () => number;
  records: Pick<CallRecords, 'get' | 'trail' | 'list'>;
  /** The published knowledge base: an article's categoryPath for suggestions. */
  knowledge?: { article(id: string): { categoryPath: readonly string[] } | undefined };
  repeatWindowHours: number;
}

export function createDispositions(deps: DispositionModuleDeps): DispositionService {
  const { knowledge } = deps;
  return new DispositionService({
    store: deps.store, now: deps.now, records: deps.records, repeatWindowHours: deps.repeatWindowHours,
    ...(knowledge ? { articleCategory: (id: string) => knowledge.article(id)?.categoryPath } : {}),
  });
}
