// The flow editor's calls to /api/v1. Drafts and number routes carry a revision (ETag): every
// save sends If-Match with the revision it started from, so someone else's save in between is a
// 409 (FLOW_CONFLICT) the editor shows instead of overwriting it.
import { API, ApiError, api } from '../../api.ts';
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

// csrf is the session's: api() already sends it (kept in the signature for the callers).
function send<T>(_csrf: string | undefined, path: string, init: { method: string; json?: unknown; ifMatch?: number }): Promise<T> {
  return api<T>(path, { method: init.method, ...(init.json !== undefined ? { json: init.json } : {}), ...(init.ifMatch !== undefined ? { headers: { 'if-match': `"${init.ifMatch}"` } } : {}) });
}

const enc = encodeURIComponent;

export function flowApi(csrf: string | undefined) {
  return {
    list: () => api<{ flows: FlowSummary[] }>('/flows').then((r) => r.flows),
    get: (id: string) => api<FlowView>(`/flows/${enc(id)}`),
    save: (id: string, doc: FlowDoc, revision: number) => send<{ revision: number; problems: Problem[] }>(csrf, `/flows/${enc(id)}`, { method: 'PUT', json: doc, ifMatch: revision }),
    validate: (id: string, doc: FlowDoc) => api<{ ok: boolean; errors: Problem[]; warnings: Problem[] }>(`/flows/${enc(id)}/validate`, { method: 'POST', json: doc }),
    simulate: (id: string, script: { digits: string[]; say: string[]; queue: string; timezone?: string }) => api<SimulationResult>(`/flows/${enc(id)}/simulate`, { method: 'POST', json: script }),
    publish: (id: string, revision: number) => send<{ version: number }>(csrf, `/flows/${enc(id)}/publish`, { method: 'POST', ifMatch: revision }),
    rollback: (id: string, version: number) => api<{ version: number }>(`/flows/${enc(id)}/rollback`, { method: 'POST', json: { version } }),
    version: (id: string, version: number) => api<{ doc: FlowDoc }>(`/flows/${enc(id)}/versions/${version}`).then((r) => r.doc),
    routes: () => api<RouteTable>('/number-routes'),
    saveRoutes: (routes: Route[], revision: number) => send<RouteTable>(csrf, '/number-routes', { method: 'PUT', json: { routes }, ifMatch: revision }),
    resolve: (number: string) => api<{ number: string; flow: string | null; publishedVersion: number | null }>('/number-routes/resolve', { method: 'POST', json: { number } }),
    prompts: () => api<{ items: PromptInfo[] }>('/prompts?limit=1000&sort=id').then((r) => r.items),
    queues: () => api<{ queues: { queueId: string }[] }>('/queues').then((r) => r.queues.map((q) => q.queueId)).catch(() => [] as string[]),
    /** Text to speech as a caller would hear it, as an object URL for an <audio> element. */
    async ttsPreview(text: string, language: string): Promise<string> {
      const res = await fetch(`${API}/prompts/preview`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) }, body: JSON.stringify({ text, language }) });
      if (!res.ok) {
        const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
        throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
      }
      return URL.createObjectURL(await res.blob());
    },
    audioUrl: (language: string, id: string) => `${API}/prompts/${enc(language)}/${enc(id)}/audio`,
  };
}
export type FlowApi = ReturnType<typeof flowApi>;

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
