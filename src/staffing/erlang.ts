// Queueing formulas for staffing: Erlang C (M/M/n, callers wait forever) and Erlang A
// (M/M/n+M, Palm's model with exponential patience as in Garnett, Mandelbaum & Reiman 2002,
// "Designing a call center with impatient customers"). Pure functions, no IO.
//
// Numerics: nothing here takes a factorial or a power of the load. Erlang B comes from its
// recursion B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)), every step in (0, 1], so 1000+ agents and
// loads of hundreds of erlangs stay exact to double precision. Erlang C and Erlang A are built
// from B. The Erlang A queue part is a product of ratios below 1 once the queue is long enough,
// summed until the terms no longer count.
//
// Units: rates per second, times in seconds. A = arrivals per second × AHT = offered load (erlangs).

export interface ErlangInput {
  /** Calls per second. */
  arrivalRate: number;
  /** Average handle time (talk + wrap-up), seconds. */
  ahtSeconds: number;
  agents: number;
}

export interface ErlangCResult {
  /** P(a caller waits at all). 1 when the agents cannot keep up (agents ≤ load). */
  probabilityOfWait: number;
  /** P(wait ≤ T) over all callers. 0 when the agents cannot keep up. */
  serviceLevel: number;
  /** Average speed of answer, seconds (Infinity when the agents cannot keep up). */
  asaSeconds: number;
  /** Load / agents (capped at 1). */
  occupancy: number;
}

export interface ErlangAResult {
  /** P(a caller finds all agents busy) (PASTA). */
  probabilityOfWait: number;
  /** P(a caller hangs up before an agent answers). */
  probabilityOfAbandon: number;
  /** P(answered within T) over all callers (abandoned callers count as missed). */
  serviceLevel: number;
  /** Average wait of the callers who are answered, seconds. */
  asaSeconds: number;
  /** Agents' busy share: the load actually served / agents. */
  occupancy: number;
}

export const offeredLoad = (arrivalRate: number, ahtSeconds: number) => arrivalRate * ahtSeconds;

/** Erlang B: P(blocked) of n servers under load A (erlangs), by the stable recursion. */
export function erlangB(agents: number, load: number): number {
  if (load <= 0) return 0;
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (load * b) / (k + load * b);
  return b;
}

/** Erlang C: P(wait > 0) of n agents under load A; 1 when n ≤ A (the queue grows without end). */
export function erlangC(agents: number, load: number): number {
  if (load <= 0) return 0;
  if (agents <= load) return 1;
  const b = erlangB(agents, load);
  return (agents * b) / (agents - load * (1 - b));
}

function check(input: ErlangInput): void {
  const { arrivalRate, ahtSeconds, agents } = input;
  if (!(arrivalRate >= 0) || !Number.isFinite(arrivalRate)) throw new RangeError('arrivalRate must be a finite number ≥ 0');
  if (!(ahtSeconds > 0) || !Number.isFinite(ahtSeconds)) throw new RangeError('ahtSeconds must be a finite number > 0');
  if (!Number.isInteger(agents) || agents < 0) throw new RangeError('agents must be an integer ≥ 0');
}

/** Erlang C figures for `agents` agents; T = thresholdSeconds for the service level. */
export function erlangCFigures(input: ErlangInput, thresholdSeconds: number): ErlangCResult {
  check(input);
  const { arrivalRate, ahtSeconds, agents } = input;
  const load = offeredLoad(arrivalRate, ahtSeconds);
  if (load === 0) return { probabilityOfWait: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0 };
  if (agents <= load) return { probabilityOfWait: 1, serviceLevel: 0, asaSeconds: Infinity, occupancy: 1 };
  const c = erlangC(agents, load);
  const spare = agents - load;
  return {
    probabilityOfWait: c,
    // The wait of a waiting caller is exponential with rate (n − A)/AHT.
    serviceLevel: 1 - c * Math.exp((-spare * thresholdSeconds) / ahtSeconds),
    asaSeconds: (c * ahtSeconds) / spare,
    occupancy: load / agents,
  };
}

/** Queue states kept in Erlang A: terms below this share of the total are dropped. */
const NEGLIGIBLE = 1e-15;
/** Hard cap on the queue length considered (a patience of hours would need more; staffing does not). */
const MAX_QUEUE = 200_000;

/**
 * Erlang A figures: callers hang up after an exponential patience with mean `patienceSeconds`
 * (θ = 1/patience); stable for any load, since impatience empties the queue.
 */
export function erlangAFigures(input: ErlangInput, thresholdSeconds: number, patienceSeconds: number): ErlangAResult {
  check(input);
  if (!(patienceSeconds > 0)) throw new RangeError('patienceSeconds must be > 0');
  const { arrivalRate: lambda, ahtSeconds, agents: n } = input;
  const mu = 1 / ahtSeconds;
  const theta = 1 / patienceSeconds;
  const load = lambda * ahtSeconds;
  if (lambda === 0) return { probabilityOfWait: 0, probabilityOfAbandon: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0 };
  // Stationary distribution relative to π_n: Σ_{k≤n} π_k = π_n / B(n, A) (Erlang B's meaning);
  // q_j = π_{n+j}/π_n = Π_{i=1..j} λ / (nμ + iθ).
  const b = n === 0 ? 1 : erlangB(n, load);
  const queue: number[] = [1];
  let queueSum = 1;
  let queueLength = 0; // Σ j·q_j
  for (let j = 1; j < MAX_QUEUE; j++) {
    const q = (queue[j - 1]! * lambda) / (n * mu + j * theta);
    queue.push(q);
    queueSum += q;
    queueLength += j * q;
    if (q < NEGLIGIBLE * queueSum && n * mu + j * theta > lambda) break;
  }
  const total = 1 / b + queueSum - 1; // in units of π_n
  const pn = 1 / total;
  const probabilityOfWait = queueSum * pn;
  const expectedQueue = queueLength * pn;
  const probabilityOfAbandon = (theta * expectedQueue) / lambda;
  // Little: callers in queue = λ × mean wait of all callers; answered callers' mean wait needs
  // the split by outcome, so ASA is taken from the answered callers' waits computed per state.
  const { answeredWithin, answeredWaitSum } = answeredWithinT(queue, pn, n * mu, theta, thresholdSeconds);
  const answered = 1 - probabilityOfAbandon;
  return {
    probabilityOfWait,
    probabilityOfAbandon,
    serviceLevel: Math.min(1, (1 - probabilityOfWait) + answeredWithin),
    asaSeconds: answered > 0 ? answeredWaitSum / answered : Infinity,
    occupancy: n === 0 ? 1 : Math.min(1, (load * answered) / n),
  };
}

/**
 * A caller who finds j others waiting (all agents busy) moves up one place at rate nμ + iθ while
 * i are ahead (an agent frees, or someone ahead hangs up), and hangs up at rate θ. Each place's
 * holding time is exponential with rate r_i = nμ + (i+1)θ whichever way it ends, so
 *   P(answered within T | j) = Π_{i=0..j} (nμ+iθ)/r_i × P(Σ_{i=0..j} Exp(r_i) ≤ T).
 * Computed for every j at once by uniformization (rate Λ = the largest r): a backward recursion
 * over the uniformized steps, weighted by Poisson(ΛT). Also gives the answered callers' mean wait.
 */
function answeredWithinT(queue: number[], pn: number, nmu: number, theta: number, thresholdSeconds: number): { answeredWithin: number; answeredWaitSum: number } {
  const J = queue.length;
  // Mean wait and P(answered) per start place j, exactly (no uniformization needed).
  let answeredWaitSum = 0;
  let answerChance = 1;
  let meanToAnswer = 0;
  for (let j = 0; j < J; j++) {
    const r = nmu + (j + 1) * theta;
    // Starting with j ahead: first leave place j (mean 1/r), moving up w.p. (nμ+jθ)/r; then as from j−1.
    answerChance *= (nmu + j * theta) / r;
    meanToAnswer += 1 / r;
    // E[wait · 1{answered}] = P(answered) × Σ 1/r_i (holding times do not depend on the exits taken).
    answeredWaitSum += queue[j]! * pn * answerChance * meanToAnswer;
  }
  if (thresholdSeconds <= 0) return { answeredWithin: 0, answeredWaitSum };
  const lambdaU = nmu + J * theta;
  const mean = lambdaU * thresholdSeconds;
  // u[j]: P(answered within m uniformized steps | j ahead); u[-1] = 1 (answered).
  let u = new Float64Array(J);
  let next = new Float64Array(J);
  let poisson = Math.exp(-mean);
  let logPoisson = -mean;
  const steps = Math.ceil(mean + 12 * Math.sqrt(mean) + 30);
  const within = new Float64Array(J);
  let weightSum = 0;
  for (let m = 0; m <= steps; m++) {
    // Poisson(m; ΛT) in log space: e^{−ΛT} underflows for large ΛT.
    if (m > 0) logPoisson += Math.log(mean / m);
    poisson = Math.exp(logPoisson);
    weightSum += poisson;
    for (let j = 0; j < J; j++) within[j]! += poisson * u[j]!;
    for (let j = 0; j < J; j++) {
      const up = (nmu + j * theta) / lambdaU;
      const stay = 1 - (nmu + (j + 1) * theta) / lambdaU;
      next[j] = up * (j === 0 ? 1 : u[j - 1]!) + stay * u[j]!;
    }
    [u, next] = [next, u];
  }
  let answeredWithin = 0;
  // Terms past `steps` count as answered if the chain got there: add the tail with the last u.
  const tail = Math.max(0, 1 - weightSum);
  for (let j = 0; j < J; j++) answeredWithin += queue[j]! * pn * (within[j]! + tail * u[j]!);
  return { answeredWithin, answeredWaitSum };
}

export interface StaffingTarget {
  /** Share answered within T, 0…1 (e.g. 0.8). */
  serviceLevel: number;
  thresholdSeconds: number;
  /** Highest agent occupancy allowed, 0…1 (default 1: none). */
  maxOccupancy?: number;
  /** Highest abandon share allowed, 0…1 (Erlang A only). */
  maxAbandon?: number;
  /** Mean patience, seconds: given, Erlang A is used; absent, Erlang C. */
  patienceSeconds?: number;
}

export interface StaffingAnswer {
  agents: number;
  model: 'erlang-c' | 'erlang-a';
  load: number;
  serviceLevel: number;
  probabilityOfWait: number;
  probabilityOfAbandon: number | null;
  asaSeconds: number;
  occupancy: number;
}

const MAX_AGENTS = 100_000;

/** The fewest agents meeting the target: SL ≥ target, occupancy ≤ max, abandons ≤ max (Erlang A). */
export function requiredAgents(arrivalRate: number, ahtSeconds: number, target: StaffingTarget): StaffingAnswer {
  const load = offeredLoad(arrivalRate, ahtSeconds);
  const maxOccupancy = target.maxOccupancy ?? 1;
  const useA = target.patienceSeconds !== undefined && target.patienceSeconds > 0;
  const evaluate = (agents: number): StaffingAnswer => {
    if (useA) {
      const a = erlangAFigures({ arrivalRate, ahtSeconds, agents }, target.thresholdSeconds, target.patienceSeconds!);
      return { agents, model: 'erlang-a', load, serviceLevel: a.serviceLevel, probabilityOfWait: a.probabilityOfWait, probabilityOfAbandon: a.probabilityOfAbandon, asaSeconds: a.asaSeconds, occupancy: a.occupancy };
    }
    const c = erlangCFigures({ arrivalRate, ahtSeconds, agents }, target.thresholdSeconds);
    return { agents, model: 'erlang-c', load, serviceLevel: c.serviceLevel, probabilityOfWait: c.probabilityOfWait, probabilityOfAbandon: null, asaSeconds: c.asaSeconds, occupancy: c.occupancy };
  };
  if (load === 0) return evaluate(0);
  const meets = (answer: StaffingAnswer) =>
    answer.serviceLevel >= target.serviceLevel - 1e-12
    && answer.occupancy <= maxOccupancy + 1e-12
    && (answer.probabilityOfAbandon === null || target.maxAbandon === undefined || answer.probabilityOfAbandon <= target.maxAbandon + 1e-12);
  // Every figure improves with each agent added, so the answer is the first count that meets the
  // target: found by doubling, then bisection. Lower bounds: Erlang C needs more agents than the
  // load; with abandons, answered callers ≤ agents / load, so SL needs ≥ load × SL agents.
  let low = useA ? Math.max(0, Math.floor(load * target.serviceLevel) - 1) : Math.floor(load); // fails (or is the bound below)
  if (useA && low > 0 && meets(evaluate(low))) low = 0;
  let high = Math.max(low + 1, 1);
  while (!meets(evaluate(high))) {
    low = high;
    high = high * 2;
    if (high > MAX_AGENTS) throw new RangeError(`no staffing up to ${MAX_AGENTS} agents meets the target`);
  }
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (meets(evaluate(mid))) high = mid;
    else low = mid;
  }
  if (low === 0 && meets(evaluate(0))) return evaluate(0);
  return evaluate(high);
}
