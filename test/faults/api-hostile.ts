// Hostile input at the admin API of a running Deskline, over its real HTTP socket: requests
// generated from the OpenAPI document (src/api/v1/api-fuzz-cases.ts) at volume, then password
// guessing. Promised: no 5xx, every 4xx in the error shape, the process alive and answering;
// guessing one account's password locks it (429 with Retry-After), guessing many from one
// address locks the address, someone else logging in from elsewhere is not hurt, and a spray of
// made-up names from many addresses leaves the throttle's memory within its bound.
import { randomBytes } from 'node:crypto';
import { fuzzAnswerProblem, fuzzRequests, type OpenApiDoc } from '../../src/api/v1/api-fuzz-cases.ts';
import { DEFAULT_THROTTLE, type LoginThrottle } from '../../src/auth/login-throttle.ts';
import { check, type FaultCheck, type FaultOutcome, type FaultScenario } from './scenario.ts';
import { withHostileEnv, type HostileEnv } from './hostile-env.ts';
import { closeAgents, httpRequest, loginOverHttp, type HttpAnswer } from './hostile-http.ts';

const REQUESTS_PER_SCALE = 100;
const CONCURRENCY = 4;
/** Fuzzed logins come from a pool of addresses, so the fuzz does not lock itself out. */
const FUZZ_ADDRESSES = 64;

const password = () => `${randomBytes(12).toString('base64url')}-Hostile9`;
const percentile = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0);

function errorShaped(res: HttpAnswer, code?: string): boolean {
  try {
    const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string' && (code === undefined || body.error.code === code);
  } catch {
    return false;
  }
}

async function fuzzAtVolume(env: HostileEnv, api: string, scale: number, admin: { username: string; password: string }, progress: (line: string) => void) {
  const doc = JSON.parse((await httpRequest(`${api}/openapi.json`)).text) as OpenApiDoc;
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  const total = scale * REQUESTS_PER_SCALE;
  const rounds = Math.ceil(total / Math.max(1, operations - 2));
  const requests = [...fuzzRequests(doc, 20261125 + scale, rounds)].slice(0, total);
  let session = await loginOverHttp(api, admin.username, admin.password);
  const statuses = new Map<number, number>();
  const problems: string[] = [];
  const latencies: number[] = [];
  let relogins = 0;
  let transportErrors = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const request = requests[i]!;
      const headers: Record<string, string> = { ...request.headers, cookie: session.cookie };
      if (request.method !== 'GET' && request.method !== 'HEAD') headers['x-csrf-token'] = session.csrf;
      let res: HttpAnswer;
      try {
        res = await httpRequest(`${api}${request.url}`, { method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}), from: `127.0.2.${1 + (i % FUZZ_ADDRESSES)}` });
      } catch (error) {
        transportErrors++;
        problems.push(`${request.method} ${request.url}: ${(error as Error).message}`);
        continue;
      }
      latencies.push(res.ms);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const problem = fuzzAnswerProblem(request, res.status, res.text);
      if (problem) problems.push(problem);
      if (res.status === 401 && request.operation !== 'POST /auth/login') {
        // The fuzz may end its own session (a changed role, a revoked token): log in again.
        relogins++;
        session = await loginOverHttp(api, admin.username, admin.password);
      }
      if ((i + 1) % 1000 === 0) progress(`fuzz: ${i + 1}/${requests.length} requests`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { sent: requests.length, operations, statuses, problems, latencies, relogins, transportErrors, seconds };
}

async function login(api: string, username: string, pass: string, from: string) {
  return httpRequest(`${api}/auth/login`, { method: 'POST', from, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: pass }) });
}

export const scenario: FaultScenario = {
  name: 'api-hostile',
  describe: 'OpenAPI-driven fuzz at volume and password guessing against a running Deskline\'s real HTTP server: no 5xx, error shape, alive; brute force locked (429 + Retry-After) without locking out others; throttle memory bounded',
  async run({ scale, progress }) {
    // Keep-alive sockets to the server are closed however the run ends (the bench exits after).
    return withHostileEnv((env) => attack(env, scale, progress).finally(closeAgents));
  },
};

async function attack(env: HostileEnv, scale: number, progress: (line: string) => void): Promise<FaultOutcome> {
  const api = `${env.deskline.httpUrl}/api/v1`;
  const checks: FaultCheck[] = [];
  const users = env.deskline.auth.users;
  const suffix = randomBytes(3).toString('hex');
  const admin = { username: `fuzz-admin-${suffix}`, password: password() };
  const victim = { username: `victim-${suffix}`, password: password() };
  const bystander = { username: `bystander-${suffix}`, password: password() };
  await users.create({ ...admin, role: 'admin' });
  await users.create({ ...victim, role: 'agent' });
  await users.create({ ...bystander, role: 'supervisor' });
  const rssBefore = process.memoryUsage().rss;

  // 1. The fuzz, at volume.
  const fuzz = await fuzzAtVolume(env, api, scale, admin, progress);
  progress(`fuzz: ${fuzz.sent} requests over ${fuzz.operations} operations in ${fuzz.seconds.toFixed(1)} s: ${[...fuzz.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  const fivexx = [...fuzz.statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  checks.push(check('no generated request gets a 5xx, and every 4xx is in the error shape', fuzz.problems.length === 0, fuzz.problems.length ? `${fuzz.problems.length} problems (${fivexx} 5xx): ${fuzz.problems.slice(0, 3).join(' | ')}` : `${fuzz.sent} requests`));
  const health = await httpRequest(`${env.deskline.httpUrl}/healthz`).catch((error: Error) => ({ status: 0, text: error.message }) as HttpAnswer);
  checks.push(check('the process is alive and answering after the fuzz (/healthz 200)', health.status === 200, `${health.status} ${health.text.slice(0, 120)}`));

  // 2. Guessing one account's password from one address.
  const guesser = '127.0.5.1';
  const guesses: number[] = [];
  for (let i = 0; i < DEFAULT_THROTTLE.maxFailures; i++) guesses.push((await login(api, victim.username, `wrong-guess-${i}-Aa1`, guesser)).status);
  const locked = await login(api, victim.username, victim.password, guesser);
  const retryAfter = Number(locked.headers['retry-after']);
  checks.push(check(`${DEFAULT_THROTTLE.maxFailures} wrong passwords for one account → 401s, then 429 LOCKED_OUT with Retry-After, even for the right password`,
    guesses.every((s) => s === 401) && locked.status === 429 && errorShaped(locked, 'LOCKED_OUT') && Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= DEFAULT_THROTTLE.lockMs / 1000,
    `guesses ${guesses.join(',')}; then ${locked.status} retry-after ${String(locked.headers['retry-after'])} ${locked.text.slice(0, 120)}`));
  const elsewhere = await login(api, bystander.username, bystander.password, '127.0.5.2');
  checks.push(check('a correct password for another account from another address still logs in', elsewhere.status === 200, `${elsewhere.status} ${elsewhere.text.slice(0, 120)}`));

  // 3. Guessing many names from one address locks the address.
  const sprayer = '127.0.5.3';
  const perAddress: number[] = [];
  // Four at a time (the password checks run on libuv's four threads), all below the limit.
  for (let i = 0; i < DEFAULT_THROTTLE.maxFailuresPerAddress; i += 4) {
    const batch = Array.from({ length: Math.min(4, DEFAULT_THROTTLE.maxFailuresPerAddress - i) }, (_, k) => login(api, `guess-${suffix}-${i + k}`, 'Wrong-password-1', sprayer));
    perAddress.push(...(await Promise.all(batch)).map((res) => res.status));
  }
  const addressLocked = await login(api, bystander.username, bystander.password, sprayer);
  const addressFree = await login(api, bystander.username, bystander.password, '127.0.5.4');
  checks.push(check(`${DEFAULT_THROTTLE.maxFailuresPerAddress} failures over many names from one address lock that address (429) but not the names for others`,
    perAddress.every((s) => s === 401) && addressLocked.status === 429 && errorShaped(addressLocked, 'LOCKED_OUT') && addressLocked.headers['retry-after'] !== undefined && addressFree.status === 200,
    `from the address: ${addressLocked.status}; the same account from elsewhere: ${addressFree.status}`));
  const lockouts = (await env.deskline.audit.list({ action: 'auth.lockout' })).filter((e) => e.target === victim.username || JSON.stringify(e.detail ?? {}).includes(sprayer));
  checks.push(check('each lockout is in the audit log', lockouts.length >= 2, `${lockouts.length} auth.lockout entries for the victim and the guessing address`));

  // 4. A spray of made-up names from many addresses (each below its own limits).
  const throttle = (env.deskline.auth as unknown as { throttle: LoginThrottle }).throttle;
  const trackedBefore = throttle.stats().tracked + throttle.stats().locked;
  // Each refused attempt costs a full scrypt (the decoy hash): a few per second on this box,
  // which is itself what keeps a spray slow; the bound is proven at a million attempts in
  // src/auth/login-throttle.test.ts.
  const spray = scale * 2;
  let sprayNext = 0;
  const sprayStatuses = new Map<number, number>();
  const sprayStarted = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (sprayNext < spray) {
      const i = sprayNext++;
      const res = await login(api, `spray-${suffix}-${i}`, 'Wrong-password-1', `127.${6 + Math.floor(i / 60_000)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`);
      sprayStatuses.set(res.status, (sprayStatuses.get(res.status) ?? 0) + 1);
    }
  }));
  const spraySeconds = (performance.now() - sprayStarted) / 1000;
  const after = throttle.stats();
  const cap = DEFAULT_THROTTLE.maxTracked ?? 20_000;
  const grown = after.tracked + after.locked - trackedBefore;
  checks.push(check('a spray of made-up names from many addresses is refused (401) and the throttle keeps at most two entries per attempt, within its cap',
    (sprayStatuses.get(401) ?? 0) === spray && grown <= 2 * spray && after.tracked <= cap && after.locked <= cap,
    `${spray} attempts in ${spraySeconds.toFixed(1)} s (${[...sprayStatuses].map(([s, n]) => `${s}×${n}`).join(' ')}); throttle ${JSON.stringify(after)}; cap ${cap} each (a million-attempt spray stays within it: src/auth/login-throttle.test.ts)`));
  const afterSpray = await login(api, bystander.username, bystander.password, '127.0.5.5');
  checks.push(check('after the spray, a real user still logs in', afterSpray.status === 200, `${afterSpray.status} in ${Math.round(afterSpray.ms)} ms`));

  return {
    checks,
    measured: {
      fuzzRequests: fuzz.sent, fuzzOperations: fuzz.operations, fuzzRequestsPerSecond: Math.round(fuzz.sent / fuzz.seconds),
      fuzzLatencyP50Ms: Math.round(percentile(fuzz.latencies, 50)), fuzzLatencyP99Ms: Math.round(percentile(fuzz.latencies, 99)),
      fuzz5xx: fivexx, fuzzErrorShapeProblems: fuzz.problems.length - fivexx, fuzzRelogins: fuzz.relogins,
      ...Object.fromEntries([...fuzz.statuses].map(([s, n]) => [`fuzzStatus${s}`, n])),
      sprayAttempts: spray, sprayAttemptsPerSecond: Math.round(spray / spraySeconds), throttleEntriesAfterSpray: after.tracked + after.locked,
      rssGrowthMiB: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
    },
  };
}
