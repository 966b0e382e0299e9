// Generated and mutated flow documents for the validator and the simulator: shared by the CI fuzz
// (flow-fuzz.test.ts, 10 000 cases) and `npm run bench -- fuzz` (100× that). Seeded: the same
// seed gives the same documents, so a failure can be replayed.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { examplesDir, memoryLookup } from './flow-files.ts';
import { simulateFlow } from './simulate.ts';
import { validateFlow } from './validator.ts';

export const FLOW_FUZZ_CI_CASES = 10_000;
export const FLOW_FUZZ_SEED = 20261124;

export interface FuzzRun {
  cases: number;
  /** What went wrong, one line each (empty: the fuzz passed). */
  failures: string[];
  outcomes: Record<string, number>;
}

const ids = ['a', 'b', 'c', 'd', 'menu', 'x'];
const junk: unknown[] = [null, 0, -1, 1e12, '', 'a', '${', '${vars.x}', 'vars.x > 1', '(a+)+', '[0-9]{4}', true, [], {}, [{ sound: 'beep' }], { '1': 'a' }, 'Asia/Shanghai', '09:00-18:00', 'http://127.0.0.1:9/x', '中文'];
let examples: Record<string, unknown>[] | undefined;
const examplesOnce = () => (examples ??= ['minimal.yaml', 'customer-service-en.yaml', 'customer-service-zh.yaml'].map((f) => parseYaml(readFileSync(examplesDir + f, 'utf8')) as Record<string, unknown>));

function generators(seed: number) {
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  /** A valid node of a random kind pointing at random ids; sometimes one field is replaced by junk. */
  function randomNode(): Record<string, unknown> {
    const to = () => pick(ids);
    const prompts = [{ sound: 'beep' }];
    const templates: Record<string, () => Record<string, unknown>> = {
      play: () => ({ prompts, next: to(), bargeIn: random() < 0.5 }),
      menu: () => ({ prompts, options: { '1': to(), '2': to() }, timeoutSeconds: 2, retries: 1, default: to() }),
      gather: () => ({ prompts, variable: 'v', maxDigits: 4, next: to(), onFailure: to() }),
      'gather-speech': () => ({ prompts: [], variable: 'q', next: to(), onFailure: to() }),
      'faq-bot': () => ({ next: to(), onHandoff: to(), minConfidence: pick([0, 0.5, 1]) }),
      condition: () => ({ branches: [{ when: pick(['vars.v == "1234"', 'caller.number startsWith "555"', 'len(vars.q) > 2', 'vars.n > 1']), next: to() }], else: to() }),
      'business-hours': () => ({ hours: { timezone: 'Asia/Shanghai', weekly: { tue: ['09:00-18:00'] } }, open: to(), closed: to() }),
      http: () => ({ url: 'http://127.0.0.1:9/${vars.v}', responseVariables: { tier: 'body.tier' }, next: to(), onError: to() }),
      set: () => ({ assign: { n: pick(['1', 'vars.n + 1', '"x"', '1 / 0']) }, next: to() }),
      language: () => ({ language: 'en', next: to() }),
      queue: () => ({ queue: 'support', onError: to() }),
      transfer: () => ({ to: '2001', onError: to() }),
      voicemail: () => ({ prompts, next: to() }),
      callback: () => ({ prompts, next: to(), onDecline: to() }),
      survey: () => ({ prompts, next: to() }),
      goto: () => ({ next: to() }),
      hangup: () => ({}),
      return: () => ({}),
    };
    const kind = pick([...Object.keys(templates), 'bogus']);
    const node: Record<string, unknown> = { kind, ...(templates[kind]?.() ?? { next: to() }) };
    if (random() < 0.25) node[pick([...Object.keys(node), 'extra'])] = pick(junk);
    return node;
  }

  function generated(): unknown {
    const nodes: Record<string, unknown> = {};
    for (const id of ids.slice(0, 1 + Math.floor(random() * ids.length))) nodes[id] = randomNode();
    return { id: 'fuzz', name: 'Fuzz', languages: ['en'], defaultLanguage: 'en', start: pick(ids), nodes };
  }

  function mutated(): unknown {
    const doc = structuredClone(pick(examplesOnce()));
    const nodes = doc.nodes as Record<string, Record<string, unknown>>;
    for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
      const id = pick(Object.keys(nodes));
      const node = nodes[id]!;
      const roll = random();
      if (roll < 0.1) delete nodes[id];
      else if (roll < 0.3) node.kind === 'menu' ? ((node.options as Record<string, string>)['9'] = pick(Object.keys(nodes))) : (node.label = pick(['x', '中文']));
      else if (roll < 0.5) node[pick(Object.keys(node))] = pick(junk);
      else if (roll < 0.7) node[pick(Object.keys(node))] = pick(Object.keys(nodes));
      else if (roll < 0.85) (doc as Record<string, unknown>)[pick(['start', 'languages', 'defaultLanguage', 'id'])] = pick(junk);
      else nodes[`n${i}`] = randomNode();
    }
    return doc;
  }
  return { random, pick, generated, mutated };
}

/**
 * `cases` documents, alternately generated and mutated from the examples, through validateFlow;
 * the valid ones through simulateFlow. Nothing may throw, every problem has a path and a message,
 * every rejection an error, no simulation runs away.
 */
export async function runFlowFuzz(options: { cases?: number; seed?: number; progress?: (done: number) => void } = {}): Promise<FuzzRun> {
  const cases = options.cases ?? FLOW_FUZZ_CI_CASES;
  const { random, pick, generated, mutated } = generators(options.seed ?? FLOW_FUZZ_SEED);
  const failures: string[] = [];
  let valid = 0;
  let rejected = 0;
  const flowAt = Date.parse('2026-11-24T10:00:00+08:00');
  for (let i = 0; i < cases; i++) {
    if (options.progress && i > 0 && i % 10_000 === 0) options.progress(i);
    const doc = i % 2 ? generated() : mutated();
    try {
      const result = validateFlow(doc, { hasFlow: () => false });
      for (const problem of result.problems) {
        if (!Array.isArray(problem.path) || !problem.message) failures.push(`case ${i}: problem without path or message: ${JSON.stringify(problem)}`);
      }
      if (!result.flow) {
        rejected++;
        if (result.errors.length === 0) failures.push(`case ${i}: rejected without an error`);
        continue;
      }
      valid++;
      const digits = Array.from({ length: Math.floor(random() * 6) }, () => pick(['1', '2', '9', '-', '1234#', '*']));
      const sim = await simulateFlow(memoryLookup([result.flow]), result.flow, 1, { digits, say: ['hello'], at: flowAt, http: { mode: 'fixed', status: pick([200, 500]), body: { tier: 'vip' } } });
      if (sim.trail.length > 100_000) failures.push(`case ${i}: runaway simulation`);
    } catch (error) {
      failures.push(`case ${i}: threw ${(error as Error).stack ?? String(error)} for ${JSON.stringify(doc).slice(0, 300)}`);
    }
  }
  return { cases, failures, outcomes: { valid, rejected } };
}
