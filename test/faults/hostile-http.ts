// A plain HTTP client for the hostile-input scenarios: node:http against the running server's real
// socket, with the client's source address chosen from 127.0.0.0/8 (all of it is this machine on
// Linux), so "another address" is another peer as far as Deskline's throttle can tell.
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

const agents = new Map<string, http.Agent>();
/** One keep-alive agent per source address (a connection belongs to one address). */
function agentFor(localAddress: string): http.Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 8, localAddress } as http.AgentOptions);
    agents.set(localAddress, agent);
  }
  return agent;
}

export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

export function httpRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; from?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const started = performance.now();
  const from = init.from ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const req = http.request(url, {
      method: init.method ?? 'GET', agent: agentFor(from),
      headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      timeout: init.timeoutMs ?? 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${init.method ?? 'GET'} ${url}: no answer within ${init.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A logged-in admin-API client over the real socket: session cookie and CSRF token. */
export async function loginOverHttp(apiBase: string, username: string, password: string, from = '127.0.0.1') {
  const res = await httpRequest(`${apiBase}/auth/login`, { method: 'POST', from, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text.slice(0, 200)}`);
  const cookies = res.headers['set-cookie'] ?? [];
  const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = JSON.parse(res.text) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}
