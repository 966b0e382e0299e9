// The public admin API (/api/v1) from the browser: the session cookie rides along on its own;
// every change carries the session's CSRF token in x-csrf-token. Errors keep the API's
// {error:{code,message,details}} so pages can say what went wrong. Every page's requests go through
// api(): revisions as If-Match headers, raw uploads, binary answers.
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
/** The session's CSRF header, for requests made outside api() (an XMLHttpRequest with upload progress). */
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {});

/** The API's error shape ({error:{code,message,details}}) as an ApiError. */
export function apiError(status: number, body: unknown, statusText: string): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  return new ApiError(status, error?.code ?? `HTTP_${status}`, error?.message ?? statusText, error?.details);
}

export interface ApiInit {
  method?: string;
  json?: unknown;
  /** A raw body (an audio upload); its type is the content type unless `contentType` says otherwise. */
  body?: Blob;
  contentType?: string;
  headers?: Record<string, string>;
  /** The answer is binary (audio): resolve with a Blob. */
  binary?: boolean;
}

export async function api<T>(path: string, init: ApiInit = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: init.binary ? '*/*' : 'application/json', ...init.headers };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  else if (init.body) headers['content-type'] = init.contentType || init.body.type || 'application/octet-stream';
  if (method !== 'GET' && method !== 'HEAD') Object.assign(headers, csrfHeaders());
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const res = await fetch(`${API}${path}`, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body } : {}) });
  if (!res.ok) throw apiError(res.status, await res.json().catch(() => undefined), res.statusText);
  if (res.status === 204) return undefined as T;
  return (init.binary ? await res.blob() : await res.json().catch(() => undefined)) as T;
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
