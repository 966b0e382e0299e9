// Thin typed ARI REST client over fetch. We do not use ari-client for this: on a wrong password it
// throws an uncaught string from swagger-client and kills the process (measured on the sandbox,
// see test/integration/ari-client-sharp-edges.test.ts), its errors carry no status code, and it
// keeps credentials in a module global. Here every failure is an AriError with the HTTP status.

export class AriError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AriCredentials {
  /** e.g. http://127.0.0.1:8088/ari */
  url: string;
  user: string;
  password: string;
}

type Query = Record<string, string | number | boolean | undefined>;

export class AriRest {
  private readonly authorization: string;
  private readonly base: string;

  constructor(
    credentials: AriCredentials,
    private readonly timeoutMs = 10_000,
    private readonly onTimed?: (ms: number, method: string, path: string) => void,
  ) {
    this.base = credentials.url.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  }

  get baseUrl(): string {
    return this.base;
  }

  get authHeader(): string {
    return this.authorization;
  }

  async request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query = {}, body?: unknown): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const url = `${this.base}${path}${search.size ? `?${search}` : ''}`;
    let response: Response;
    const started = performance.now();
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: this.authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
      throw new AriError(0, 'ARI_UNREACHABLE', `${method} ${path}: Asterisk ARI unreachable (${reason})`);
    }
    const text = await response.text();
    this.onTimed?.(performance.now() - started, method, path);
    if (!response.ok) {
      let message = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as { message?: string; error?: string };
        message = parsed.message ?? parsed.error ?? message;
      } catch {
        // HTML or empty body (e.g. 404 while Asterisk starts)
      }
      const code = response.status === 401 ? 'ARI_UNAUTHORIZED' : `ARI_HTTP_${response.status}`;
      throw new AriError(response.status, code, `${method} ${path}: ${response.status} ${message}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
