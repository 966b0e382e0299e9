// The public admin API (/api/v1) from the browser: the session cookie rides along on its own;
// every change carries the session's CSRF token in x-csrf-token. Errors keep the API's
// {error:{code,message,details}} so pages can say what went wrong.
export const API = '/api/v1';

export type Permission = string;

export interface Me {
  username: string;
  role: 'admin' | 'supervisor' | 'agent' | 'technician';
  locale: 'en' | 'zh-CN';
  agentId?: string;
  permissions: Permission[];
  via: 'session' | 'token' | 'local';
  csrfToken?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

let csrfToken: string | undefined;
export const setCsrfToken = (token: string | undefined) => { csrfToken = token; };

export async function api<T>(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(`${API}${path}`, { method, headers, credentials: 'same-origin', ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
  const body: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, error?.code ?? 'HTTP_' + res.status, error?.message ?? res.statusText, error?.details);
  }
  return body as T;
}

/** Who is logged in, or undefined when nobody is (401). */
export async function currentUser(): Promise<Me | undefined> {
  try {
    const me = await api<Me>('/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

export async function login(username: string, password: string): Promise<Me> {
  const me = await api<Me>('/auth/login', { method: 'POST', json: { username, password } });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logout(): Promise<void> {
  await api('/auth/logout', { method: 'POST' });
  setCsrfToken(undefined);
}
