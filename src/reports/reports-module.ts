// Wiring only: the reports capability on the appliance's store and call records, recording each
// call as it ends. The appliance builds it once the call records (and, for the lexicon, the
// knowledge module) exist, and awaits `idle()` before closing the store.
import type { EndingHandler } from '../calls/call-endings.ts';
import { ReportService, type ReportServiceDeps } from './report-service.ts';

/** Where reports hear of ended calls: the appliance's CallEndings (durable across a crash). */
export interface CallEndingsFeed {
  register(consumer: string, handle: EndingHandler): void;
}

export function startReports(deps: ReportServiceDeps & { endings: CallEndingsFeed }): ReportService {
  const service = new ReportService(deps);
  deps.endings.register('reports', (callId) => service.callEnded(callId));
  return service;
}
