// Requests the administration tabs need beyond api(): If-Match (revisions), raw bodies (audio
// uploads) and binary answers (TTS preview). Same CSRF token and error shape as api.ts. Also turns
// the API's error details (several shapes: [{path:[…]}], [{path:"a"}], [{field}], {field}) into
// one map of field path → message, so forms can put each message beside its field.
import { API, ApiError } from '../../api.ts';

let csrf: string | undefined;
/** The session's CSRF token (GET /auth/me), for changes. */
export const rememberCsrfToken = (token: string | undefined) => { csrf = token; };

export interface RequestInit { method?: string; json?: unknown; body?: Blob; contentType?: string; revision?: number; binary?: boolean }

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: init.binary ? '*/*' : 'application/json' };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  else if (init.body) headers['content-type'] = init.contentType || init.body.type || 'application/octet-stream';
  if (init.revision !== undefined) headers['if-match'] = `"${init.revision}"`;
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const res = await fetch(`${API}${path}`, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body } : {}) });
  if (!res.ok) {
    const error = ((await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? res.statusText, error?.details);
  }
  if (res.status === 204) return undefined as T;
  return (init.binary ? await res.blob() : await res.json()) as T;
}

/** A stale revision: someone else saved since this page read it. */
export const isConflict = (error: unknown): boolean =>
  error instanceof ApiError && ['QUEUE_SETTINGS_CONFLICT', 'REVISION_MISMATCH', 'SETTINGS_CONFLICT', 'FLOW_CONFLICT'].includes(error.code);

const pathText = (path: unknown): string | undefined =>
  Array.isArray(path) ? path.map(String).join('.') : typeof path === 'string' || typeof path === 'number' ? String(path) : undefined;

/** Field path ("requiredSkills.0.minLevel", "site.name", "url") → what is wrong with it. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  const details = error.details;
  const items = Array.isArray(details) ? details : details && typeof details === 'object' ? [details] : [];
  for (const item of items as { path?: unknown; field?: unknown; message?: unknown }[]) {
    if (!item || typeof item !== 'object') continue;
    const key = pathText(item.path) ?? pathText(item.field);
    if (key === undefined) continue;
    const message = typeof item.message === 'string' ? item.message : error.message;
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}

/** The messages for a field and everything under it (requiredSkills → requiredSkills.0.skill …). */
export function errorsUnder(errors: Record<string, string>, prefix: string): string | undefined {
  const found = Object.entries(errors).filter(([key]) => key === prefix || key.startsWith(`${prefix}.`)).map(([key, message]) => (key === prefix ? message : `${key.slice(prefix.length + 1)}: ${message}`));
  return found.length ? found.join('; ') : undefined;
}
