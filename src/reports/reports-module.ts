// Wiring only: the reports capability on the appliance's store and call records, recording each
// call as it ends. The appliance builds it once the call records (and, for the lexicon, the
// knowledge module) exist, and awaits `idle()` before closing the store.
import type { CallState } from '../calls/call-types.ts';
import { ReportService, type ReportServiceDeps } from './report-service.ts';

/** What reports listen to (CallService emits it once a call's final state is saved). */
export interface CallEndings {
  on(event: 'ended', listener: (state: CallState) => void): unknown;
}

export function startReports(deps: ReportServiceDeps & { calls: CallEndings }): ReportService {
  const service = new ReportService(deps);
  deps.calls.on('ended', (state) => void service.callEnded(state.callId));
  return service;
}
