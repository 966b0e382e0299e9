// The flow editor's calls to /api/v1. Drafts and number routes carry a revision (ETag): every
// save sends If-Match with the revision it started from, so someone else's save in between is a
// 409 (FLOW_CONFLICT) the editor shows instead of overwriting it.
import { API, api } from '../../api.ts';
import type { FlowDoc } from './node-kinds.ts';
import type { Problem } from './problems.ts';

export interface FlowSummary { id: string; draftRevision: number; publishedVersion?: number; versions: number }
export interface Draft { doc: FlowDoc; revision: number; savedAt: number; savedBy: string }
export interface FlowView { id: string; draft: Draft | null; publishedVersion: number | null }
export interface Route { number: string; flow: string; hours?: Record<string, unknown>; closedFlow?: string }
export interface RouteTable { routes: Route[]; revision: number; updatedAt: number; updatedBy: string; warnings: Problem[] }
export interface SimulationResult {
  path: string[];
  prompts: { node: string; language: string; prompts: Record<string, string>[] }[];
  vars: Record<string, unknown>;
  outcome: string;
  trail: { type: string; atMs: number; [k: string]: unknown }[];
}
export interface PromptInfo { language: string; id: string; source: string; recorded: boolean; catalogText: string | null; durationSeconds: number | null }

/** A change sent with the revision it started from: someone else's save in between is a 409. */
const ifMatch = (revision: number) => ({ headers: { 'if-match': `"${revision}"` } });

const enc = encodeURIComponent;

export const flowApi = {
  list: () => api<{ flows: FlowSummary[] }>('/flows').then((r) => r.flows),
  get: (id: string) => api<FlowView>(`/flows/${enc(id)}`),
  save: (id: string, doc: FlowDoc, revision: number) => api<{ revision: number; problems: Problem[] }>(`/flows/${enc(id)}`, { method: 'PUT', json: doc, ...ifMatch(revision) }),
  validate: (id: string, doc: FlowDoc) => api<{ ok: boolean; errors: Problem[]; warnings: Problem[] }>(`/flows/${enc(id)}/validate`, { method: 'POST', json: doc }),
  simulate: (id: string, script: { digits: string[]; say: string[]; queue: string; timezone?: string }) => api<SimulationResult>(`/flows/${enc(id)}/simulate`, { method: 'POST', json: script }),
  publish: (id: string, revision: number) => api<{ version: number }>(`/flows/${enc(id)}/publish`, { method: 'POST', ...ifMatch(revision) }),
  rollback: (id: string, version: number) => api<{ version: number }>(`/flows/${enc(id)}/rollback`, { method: 'POST', json: { version } }),
  version: (id: string, version: number) => api<{ doc: FlowDoc }>(`/flows/${enc(id)}/versions/${version}`).then((r) => r.doc),
  routes: () => api<RouteTable>('/number-routes'),
  saveRoutes: (routes: Route[], revision: number) => api<RouteTable>('/number-routes', { method: 'PUT', json: { routes }, ...ifMatch(revision) }),
  resolve: (number: string) => api<{ number: string; flow: string | null; publishedVersion: number | null }>('/number-routes/resolve', { method: 'POST', json: { number } }),
  prompts: () => api<{ items: PromptInfo[] }>('/prompts?limit=1000&sort=id').then((r) => r.items),
  queues: () => api<{ queues: { queueId: string }[] }>('/queues').then((r) => r.queues.map((q) => q.queueId)).catch(() => [] as string[]),
  /** Text to speech as a caller would hear it, as an object URL for an <audio> element. */
  async ttsPreview(text: string, language: string): Promise<string> {
    return URL.createObjectURL(await api<Blob>('/prompts/preview', { method: 'POST', json: { text, language }, binary: true }));
  },
  audioUrl: (language: string, id: string) => `${API}/prompts/${enc(language)}/${enc(id)}/audio`,
};
export type FlowApi = typeof flowApi;

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
