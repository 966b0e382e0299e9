// Seeded random, mutated, grammatical and regex-bearing expressions for the compiler and the
// evaluator: shared by the CI fuzz (fuzz.test.ts, 12 000 cases) and `npm run bench -- fuzz`
// (100× that). Only ExpressionError may ever be thrown.
import { compileExpression, compileTemplate, ExpressionError, type Value } from './index.ts';

export const EXPRESSION_FUZZ_CI_CASES = 12_000;
export const EXPRESSION_FUZZ_SEED = 424242;

/** Park–Miller PRNG so every run sees the same cases. */
export function prng(seed: number) {
  let state = seed;
  const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

const SEEDS = [
  'caller.number startsWith "+86" && vars.balance > 100',
  'len(vars.account) == 8',
  'matches(vars.account, "^[0-9]{8}$")',
  'vars.tier == "vip" ? 1 : 5',
  'coalesce(vars.missing, upper(trim(" x ")), 1) + string([1, null, true])',
  'replace(substr(caller.name, 0, 1), "张", "李") + urlencode("你 好")',
  'round(number("12.345"), 2) * -max(1, min(2, 3)) % 7 / 2',
  '"vip" in vars.tags || vars.tags contains "gold" && !(caller.number endsWith "0")',
  'vars.nested.list[0]["id"] != null ? vars.nested.list[vars.i] : [1, [2, [3]]]',
];
const PIECES = [
  ' ', '(', ')', '[', ']', ',', '.', '?', ':', '!', '-', '+', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '&&', '||',
  ' in ', ' startsWith ', ' endsWith ', ' contains ', 'true', 'false', 'null', '0', '1', '2.5', '1e3', '-7', '"s"', "'你好'", '"\\u0041"', '"\\ud800"',
  'vars', 'caller', 'x', 'vars.tags', 'vars.big', 'vars.deep', 'caller.number', 'constructor', '__proto__', 'toString', '"constructor"',
  'len(', 'lower(', 'upper(', 'trim(', 'number(', 'string(', 'round(', 'floor(', 'ceil(', 'abs(', 'min(', 'max(', 'substr(', 'replace(',
  'urlencode(', 'matches(', 'coalesce(', 'nope(', '"', "'", '\\', '${', '}', '=', '&', '#', '\u0000',
];
const REGEX_ALPHABET = ['a', '*', '+', '?', '(', ')', '|', '[', ']', '{', '}', '2', ',', '^', '$', '\\d', '.', '(?:', '\\1'];

function deep(depth: number): Value {
  let value: Value = 'bottom';
  for (let i = 0; i < depth; i++) value = { v: [value] };
  return value;
}

const scope: Record<string, Value> = Object.freeze({
  caller: { number: '+8613800138000', name: '张三' },
  vars: {
    balance: 150, account: '12345678', tier: 'vip', tags: ['vip', 'a'], i: 0, nested: { list: [{ id: 7 }] },
    big: Array.from({ length: 3000 }, (_, i) => i), long: 'a'.repeat(999) + '!', deep: deep(80),
  },
  x: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!',
});

function randomExpression(r: ReturnType<typeof prng>): string {
  const length = 1 + r.int(25);
  let out = '';
  for (let i = 0; i < length; i++) out += r.pick(PIECES);
  return out;
}

const LEAVES = ['1', '0', '2.5', '"a"', '"\\ud800"', "'你好'", 'true', 'null', 'vars.balance', 'vars.tags', 'vars.account', 'caller.number', 'vars.big', 'vars.deep', 'x', 'nobody.x'];
const BINARY = ['+', '-', '*', '/', '%', '<', '>=', '==', '!=', '&&', '||', 'in', 'contains', 'startsWith', 'endsWith'];
const CALLS: [string, number][] = [['len', 1], ['lower', 1], ['string', 1], ['number', 1], ['round', 1], ['substr', 3], ['replace', 3], ['urlencode', 1], ['coalesce', 2], ['max', 2]];

/** Grammatical expressions, so a good share get past the parser and exercise the evaluator. */
function grammatical(r: ReturnType<typeof prng>, depth: number): string {
  if (depth > 4 || r.chance(0.3)) return r.pick(LEAVES);
  switch (r.int(6)) {
    case 0: return `${r.pick(['!', '-'])}${grammatical(r, depth + 1)}`;
    case 1: {
      const [name, arity] = r.pick(CALLS);
      return `${name}(${Array.from({ length: arity }, () => grammatical(r, depth + 1)).join(', ')})`;
    }
    case 2: return `(${grammatical(r, depth + 1)} ? ${grammatical(r, depth + 1)} : ${grammatical(r, depth + 1)})`;
    case 3: return `[${grammatical(r, depth + 1)}, ${grammatical(r, depth + 1)}][${r.int(3)}]`;
    default: return `(${grammatical(r, depth + 1)} ${r.pick(BINARY)} ${grammatical(r, depth + 1)})`;
  }
}

function mutate(r: ReturnType<typeof prng>, source: string): string {
  let out = source;
  const edits = 1 + r.int(4);
  for (let i = 0; i < edits; i++) {
    const at = r.int(out.length + 1);
    const kind = r.int(4);
    if (kind === 0) out = out.slice(0, at) + r.pick(PIECES) + out.slice(at);
    else if (kind === 1) out = out.slice(0, at) + out.slice(at + 1 + r.int(4));
    else if (kind === 2) out = out.slice(0, at) + out.slice(at, at + 1 + r.int(8)).repeat(2 + r.int(3)) + out.slice(at);
    else out = out.slice(0, at) + r.pick(['(', '!', '-', '[']) .repeat(r.int(40)) + out.slice(at);
  }
  return out;
}

function randomPattern(r: ReturnType<typeof prng>): string {
  let pattern = '';
  for (let i = 1 + r.int(10); i > 0; i--) pattern += r.pick(REGEX_ALPHABET);
  return pattern;
}

/** Runs one case; returns the unexpected error, if any. */
function attempt(source: string, caseScope: Record<string, Value>): unknown {
  try {
    const compiled = compileExpression(source);
    compiled.evaluate(caseScope);
  } catch (error) {
    if (!(error instanceof ExpressionError)) return error;
  }
  try {
    compileTemplate(`pre \${${source}} $\${ post`).render(caseScope);
  } catch (error) {
    if (!(error instanceof ExpressionError)) return error;
  }
  return undefined;
}

/**
 * `cases` expressions (a quarter of each kind) compiled and evaluated, also inside a template.
 * failures: anything thrown that is not an ExpressionError; outcomes: evaluated vs rejected.
 */
export function runExpressionFuzz(options: { cases?: number; seed?: number; progress?: (done: number) => void } = {}) {
  const cases = options.cases ?? EXPRESSION_FUZZ_CI_CASES;
  const r = prng(options.seed ?? EXPRESSION_FUZZ_SEED);
  const outcomes = { ok: 0, rejected: 0 };
  const failures: string[] = [];
  for (let i = 0; i < cases; i++) {
    if (options.progress && i > 0 && i % 100_000 === 0) options.progress(i);
    const kind = i % 4;
    let source: string;
    let caseScope = scope;
    if (kind === 0) source = randomExpression(r);
    else if (kind === 1) source = mutate(r, r.pick(SEEDS));
    else if (kind === 2) source = grammatical(r, 0);
    else {
      source = r.chance(0.5) ? `matches(x, ${JSON.stringify(randomPattern(r))})` : 'matches(vars.long, p)';
      caseScope = { ...scope, p: randomPattern(r) };
    }
    const unexpected = attempt(source, caseScope);
    if (unexpected !== undefined) failures.push(`${JSON.stringify(source)}: ${String(unexpected)}`);
    try {
      compileExpression(source).evaluate(caseScope);
      outcomes.ok++;
    } catch {
      outcomes.rejected++;
    }
  }
  return { cases, failures, outcomes };
}
