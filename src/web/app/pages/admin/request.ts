// The administration tabs' requests: api() with a revision sent as If-Match. Also turns the API's
// error details (several shapes: [{path:[…]}], [{path:"a"}], [{field}], {field}) into one map of
// field path → message, so forms can put each message beside its field.
import { api, ApiError, type ApiInit } from '../../api.ts';

export interface RequestInit extends ApiInit { revision?: number }

export function request<T>(path: string, { revision, ...init }: RequestInit = {}): Promise<T> {
  return api<T>(path, revision === undefined ? init : { ...init, headers: { ...init.headers, 'if-match': `"${revision}"` } });
}

/** A stale revision: someone else saved since this page read it. */
export const isConflict = (error: unknown): boolean =>
  error instanceof ApiError && ['QUEUE_SETTINGS_CONFLICT', 'REVISION_MISMATCH', 'SETTINGS_CONFLICT', 'FLOW_CONFLICT', 'DISPOSITION_CONFLICT'].includes(error.code);

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
