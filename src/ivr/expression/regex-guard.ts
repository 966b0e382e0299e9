import { LIMITS } from './errors.ts';

/**
 * Vets a `matches()` pattern before it reaches the backtracking RegExp engine. Returns the
 * reason it is refused, or a compiled RegExp (flag `u`). The rules are conservative on purpose:
 *
 * - at most 200 characters, and it must compile with the `u` flag;
 * - no back-references (`\1`, `\k<name>`);
 * - no nested quantifiers: a group repeated by `*`, `+` or `{n,…}` may contain neither a
 *   quantifier nor `|` (`(a+)+`, `(a*)*`, `(a|aa)+`, `((ab)+c)*` are refused);
 * - a worst-case backtracking estimate — the product of the spans of all variable quantifiers
 *   (`*`, `+`, `{n,}` count as the 1000-character subject cap, `{n,m}` as m-n+1, `?` as 2),
 *   times 1000 start positions unless the pattern begins with `^` and has no `|` — must stay ≤ 10^7. So
 *   `^\d+-\d+$` passes but `\d+-\d+` and `^a*a*a*b` do not.
 */
export function vetPattern(pattern: string): RegExp | string {
  if (pattern.length > LIMITS.regexPatternChars) return `pattern is ${pattern.length} characters; the limit is ${LIMITS.regexPatternChars}`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, 'u');
  } catch (error) {
    return `invalid pattern: ${(error as Error).message}`;
  }
  const reason = shapeProblem(pattern);
  return reason ?? compiled;
}

const COST_LIMIT = 1e7;

interface Frame {
  risky: boolean;
}

function shapeProblem(pattern: string): string | undefined {
  const stack: Frame[] = [{ risky: false }];
  let cost = pattern.startsWith('^') && !pattern.includes('|') ? 1 : LIMITS.regexSubjectChars;
  /** What the quantifier that may follow applies to: a group (and whether it is risky), or a plain atom. */
  let last: 'none' | 'atom' | 'safe-group' | 'risky-group' = 'none';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const frame = stack[stack.length - 1]!;
    if (c === '\\') {
      const e = pattern[i + 1] ?? '';
      if (/[1-9]/.test(e) || e === 'k') return 'back-references are not allowed';
      i += 2;
      if ((e === 'u' || e === 'p' || e === 'P') && pattern[i] === '{') i = pattern.indexOf('}', i) + 1;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      i = classEnd(pattern, i + 1);
      last = 'atom';
      continue;
    }
    if (c === '(') {
      stack.push({ risky: false });
      i++;
      const lookbehind = pattern.startsWith('?<=', i) || pattern.startsWith('?<!', i);
      if (pattern.startsWith('?<', i) && !lookbehind) i = pattern.indexOf('>', i) + 1;
      else if (pattern[i] === '?') i += lookbehind ? 3 : 2;
      last = 'none';
      continue;
    }
    if (c === ')') {
      const closed = stack.length > 1 ? stack.pop()! : frame;
      stack[stack.length - 1]!.risky ||= closed.risky;
      last = closed.risky ? 'risky-group' : 'safe-group';
      i++;
      continue;
    }
    if (c === '|') {
      frame.risky = true;
      last = 'none';
      i++;
      continue;
    }
    const quantifier = readQuantifier(pattern, i);
    if (quantifier !== undefined) {
      if (last === 'risky-group' && quantifier.max > 1) return 'nested quantifiers (a repeated group that contains a quantifier or |) can backtrack catastrophically';
      frame.risky = true;
      cost *= Math.max(1, Math.min(quantifier.max, LIMITS.regexSubjectChars) - quantifier.min + 1);
      if (cost > COST_LIMIT) return 'too many variable-length quantifiers: worst-case backtracking is too large (anchor with ^ or make repeats exact)';
      i = quantifier.end;
      last = 'none';
      continue;
    }
    last = 'atom';
    i++;
  }
  return undefined;
}

function classEnd(pattern: string, from: number): number {
  let i = from;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}

function readQuantifier(pattern: string, i: number): { min: number; max: number; end: number } | undefined {
  const c = pattern[i];
  let result: { min: number; max: number; end: number } | undefined;
  if (c === '*') result = { min: 0, max: Infinity, end: i + 1 };
  else if (c === '+') result = { min: 1, max: Infinity, end: i + 1 };
  else if (c === '?') result = { min: 0, max: 1, end: i + 1 };
  else if (c === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (match === null) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    result = { min, max, end: i + match[0].length };
  }
  if (result !== undefined && pattern[result.end] === '?') result.end++;
  return result;
}
