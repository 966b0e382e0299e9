// A fault scenario: one way the box can be hurt (a crash, a dead broker, a full disk, a hostile
// peer) and the outcome Deskline promises, as named checks. The same scenario runs at reduced
// scale in CI (test/integration/faults-*.test.ts, each check an assertion) and at full scale in
// `npm run bench -- faults` (test/bench/faults.ts writes every check and figure to JSON).

export interface FaultRunOptions {
  /** How many calls (or messages, requests) the scenario puts under load: CI ≈ 20, bench ≈ 100. */
  scale: number;
  /** One line of progress for a person watching (long runs must show they are alive). */
  progress: (line: string) => void;
}

export interface FaultCheck {
  /** What must hold, said as a promise: "every queued caller keeps their position". */
  name: string;
  ok: boolean;
  /** What was seen, for a failure's message and the bench JSON. */
  detail?: string;
}

export interface FaultOutcome {
  checks: FaultCheck[];
  /** Figures worth publishing: seconds to regain control, peak RSS, datagrams dropped… */
  measured: Record<string, number>;
}

export interface FaultScenario {
  name: string;
  /** One sentence: the fault, and what is promised. */
  describe: string;
  run(options: FaultRunOptions): Promise<FaultOutcome>;
}

export const check = (name: string, ok: boolean, detail?: unknown): FaultCheck =>
  ({ name, ok, ...(detail === undefined ? {} : { detail: typeof detail === 'string' ? detail : JSON.stringify(detail) }) });
