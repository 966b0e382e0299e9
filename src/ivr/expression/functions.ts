import type { Node } from './ast.ts';
import { budgetError, evalError, LIMITS, syntaxError, type Value } from './errors.ts';
import { vetPattern } from './regex-guard.ts';
import { checkLength, typeName, type Meter, toText } from './values.ts';

/** What a built-in gets besides its arguments: the meter and where each argument starts. */
export interface CallContext {
  meter: Meter;
  pos: number;
  argPos: number[];
}

interface Builtin {
  min: number;
  max: number;
  call(args: Value[], ctx: CallContext): Value;
}

const str = (args: Value[], i: number, ctx: CallContext, fn: string): string => {
  const value = args[i] ?? null;
  if (typeof value !== 'string') throw evalError(`${fn}() argument ${i + 1} must be a string, got ${typeName(value)}`, ctx.argPos[i] ?? ctx.pos);
  return value;
};
const num = (args: Value[], i: number, ctx: CallContext, fn: string): number => {
  const value = args[i] ?? null;
  if (typeof value !== 'number') throw evalError(`${fn}() argument ${i + 1} must be a number, got ${typeName(value)}`, ctx.argPos[i] ?? ctx.pos);
  return value;
};
const int = (args: Value[], i: number, ctx: CallContext, fn: string): number => {
  const value = num(args, i, ctx, fn);
  if (!Number.isInteger(value)) throw evalError(`${fn}() argument ${i + 1} must be a whole number, got ${value}`, ctx.argPos[i] ?? ctx.pos);
  return value;
};
/** Code points, so len("你好") is 2 and substr never splits a surrogate pair. */
const codePoints = (text: string, ctx: CallContext): string[] => {
  ctx.meter.charge(Math.ceil(text.length / 100), ctx.pos);
  return Array.from(text);
};

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const regexCache = new Map<string, RegExp | string>();

function cachedPattern(pattern: string): RegExp | string {
  let vetted = regexCache.get(pattern);
  if (vetted === undefined) {
    vetted = vetPattern(pattern);
    if (regexCache.size >= 500) regexCache.clear();
    regexCache.set(pattern, vetted);
  }
  return vetted;
}

function roundHalfAwayFromZero(value: number, digits: number): number {
  const magnitude = Math.abs(value);
  const rounded = Number(`${Math.round(Number(`${magnitude}e${digits}`))}e-${digits}`);
  return Number.isFinite(rounded) ? Math.sign(value) * rounded : value;
}

const BUILTINS: Record<string, Builtin> = {
  len: {
    min: 1, max: 1,
    call(args, ctx) {
      const value = args[0] ?? null;
      if (typeof value === 'string') return codePoints(value, ctx).length;
      if (Array.isArray(value)) return value.length;
      if (value !== null && typeof value === 'object') return Object.keys(value).length;
      if (value === null) return 0;
      throw evalError(`len() needs a string, array or object, got ${typeName(value)}`, ctx.argPos[0]);
    },
  },
  lower: { min: 1, max: 1, call: (args, ctx) => checkLength(str(args, 0, ctx, 'lower').toLowerCase(), ctx.pos) },
  upper: { min: 1, max: 1, call: (args, ctx) => checkLength(str(args, 0, ctx, 'upper').toUpperCase(), ctx.pos) },
  trim: { min: 1, max: 1, call: (args, ctx) => str(args, 0, ctx, 'trim').trim() },
  number: {
    min: 1, max: 1,
    call(args) {
      const value = args[0] ?? null;
      if (typeof value === 'number') return value;
      if (typeof value !== 'string' || !NUMBER_TEXT.test(value.trim())) return null;
      const parsed = Number(value.trim());
      return Number.isFinite(parsed) ? parsed : null;
    },
  },
  string: { min: 1, max: 1, call: (args, ctx) => toText(args[0] ?? null, ctx.meter, ctx.pos) },
  round: {
    min: 1, max: 2,
    call(args, ctx) {
      const digits = args.length > 1 ? int(args, 1, ctx, 'round') : 0;
      if (digits < 0 || digits > 10) throw evalError(`round() digits must be 0..10, got ${digits}`, ctx.argPos[1]);
      return roundHalfAwayFromZero(num(args, 0, ctx, 'round'), digits);
    },
  },
  floor: { min: 1, max: 1, call: (args, ctx) => Math.floor(num(args, 0, ctx, 'floor')) },
  ceil: { min: 1, max: 1, call: (args, ctx) => Math.ceil(num(args, 0, ctx, 'ceil')) },
  abs: { min: 1, max: 1, call: (args, ctx) => Math.abs(num(args, 0, ctx, 'abs')) },
  min: { min: 1, max: 50, call: (args, ctx) => Math.min(...args.map((_, i) => num(args, i, ctx, 'min'))) },
  max: { min: 1, max: 50, call: (args, ctx) => Math.max(...args.map((_, i) => num(args, i, ctx, 'max'))) },
  substr: {
    min: 2, max: 3,
    call(args, ctx) {
      const chars = codePoints(str(args, 0, ctx, 'substr'), ctx);
      const start = Math.min(Math.max(int(args, 1, ctx, 'substr'), 0), chars.length);
      const length = args.length > 2 ? Math.max(int(args, 2, ctx, 'substr'), 0) : chars.length;
      return chars.slice(start, start + length).join('');
    },
  },
  replace: {
    min: 3, max: 3,
    call(args, ctx) {
      const [text, find, by] = [str(args, 0, ctx, 'replace'), str(args, 1, ctx, 'replace'), str(args, 2, ctx, 'replace')];
      if (find === '') return text;
      const count = text.split(find).length - 1;
      const length = text.length + count * (by.length - find.length);
      if (length > LIMITS.stringChars) throw budgetError(`replace() would produce ${length} characters; the limit is ${LIMITS.stringChars}`, ctx.pos);
      return text.split(find).join(by);
    },
  },
  urlencode: {
    min: 1, max: 1,
    call(args, ctx) {
      const value = args[0] ?? null;
      if (typeof value === 'object' && value !== null) throw evalError(`urlencode() needs a string, number or boolean, got ${typeName(value)}`, ctx.argPos[0]);
      try {
        return checkLength(encodeURIComponent(toText(value, ctx.meter, ctx.pos)), ctx.pos);
      } catch (error) {
        if (error instanceof URIError) throw evalError('urlencode() got text with a broken surrogate pair', ctx.argPos[0]);
        throw error;
      }
    },
  },
  matches: {
    min: 2, max: 2,
    call(args, ctx) {
      const subject = str(args, 0, ctx, 'matches');
      const vetted = cachedPattern(str(args, 1, ctx, 'matches'));
      if (typeof vetted === 'string') throw evalError(`matches(): ${vetted}`, ctx.argPos[1]);
      if (subject.length > LIMITS.regexSubjectChars) {
        throw budgetError(`matches() subject is ${subject.length} characters; the limit is ${LIMITS.regexSubjectChars}`, ctx.argPos[0]);
      }
      ctx.meter.charge(Math.ceil(subject.length / 10), ctx.pos);
      return vetted.test(subject);
    },
  },
  /** Evaluated lazily by the evaluator: arguments after the first non-null one are never run. */
  coalesce: { min: 1, max: 50, call: (args) => args.find((value) => value !== null) ?? null },
};

export const FUNCTION_NAMES: readonly string[] = Object.keys(BUILTINS);

export function builtin(name: string): Builtin {
  return BUILTINS[name]!;
}

/** Compile-time checks of a call: known name, arity, and a literal matches() pattern. */
export function checkFunctionCall(name: string, args: Node[], pos: number): void {
  if (!Object.hasOwn(BUILTINS, name)) throw syntaxError(`unknown function ${name}(); known: ${FUNCTION_NAMES.join(', ')}`, pos);
  const { min, max } = BUILTINS[name]!;
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw syntaxError(`${name}() takes ${wanted} argument${min === 1 && max === 1 ? '' : 's'}, got ${args.length}`, pos);
  }
  const pattern = args[1];
  if (name === 'matches' && pattern?.type === 'literal' && typeof pattern.value === 'string') {
    const vetted = cachedPattern(pattern.value);
    if (typeof vetted === 'string') throw syntaxError(`matches(): ${vetted}`, pattern.pos);
  }
}
