import type { Node } from './ast.ts';
import { budgetError, LIMITS, syntaxError, type Value } from './errors.ts';
import { Evaluator } from './evaluate.ts';
import { parse } from './parser.ts';
import { checkLength, toText } from './values.ts';

export interface CompiledTemplate {
  readonly source: string;
  /** Top-level names any interpolation reads, in order of first appearance. */
  readonly names: string[];
  render(scope: Record<string, Value>): string;
}

type Segment = string | Node;

/**
 * `text ${expr} text`. `$${` writes a literal `${`; any other `$` is literal. Inside `${…}` the
 * first `}` outside a string literal ends the expression. Values render as in string():
 * null as "", arrays and objects as JSON.
 */
export function compileTemplate(source: string): CompiledTemplate {
  if (source.length > LIMITS.templateChars) {
    throw budgetError(`template is ${source.length} characters; the limit is ${LIMITS.templateChars}`, LIMITS.templateChars);
  }
  const segments: Segment[] = [];
  const names: string[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (source.startsWith('${', i)) {
      const end = interpolationEnd(source, i + 2);
      if (end < 0) throw syntaxError("unterminated '${' (missing '}')", i);
      const inner = source.slice(i + 2, end);
      if (inner.trim() === '') throw syntaxError("empty '${}' in template", i);
      const parsed = parse(inner, i + 2);
      if (text !== '') segments.push(text);
      text = '';
      segments.push(parsed.ast);
      for (const name of parsed.names) if (!names.includes(name)) names.push(name);
      i = end + 1;
    } else {
      text += source[i];
      i++;
    }
  }
  if (text !== '') segments.push(text);
  return {
    source,
    names,
    render(scope) {
      const evaluator = new Evaluator(scope);
      let out = '';
      for (const segment of segments) {
        const part = typeof segment === 'string' ? segment : toText(evaluator.evaluate(segment), evaluator, segment.pos);
        out += part;
        checkLength(out, typeof segment === 'string' ? 0 : segment.pos);
      }
      return out;
    },
  };
}

/** Index of the `}` closing an interpolation that starts at `from`, or -1. */
function interpolationEnd(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '}') {
      return i;
    }
  }
  return -1;
}
