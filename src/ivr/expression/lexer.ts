import { syntaxError } from './errors.ts';

export type TokenKind = 'number' | 'string' | 'ident' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Operator text or identifier name; for literals, the raw source text. */
  text: string;
  /** Decoded literal value for number and string tokens. */
  value?: string | number;
  /** Offset in the whole source (template offsets included). */
  pos: number;
}

const OPERATORS = ['<=', '>=', '==', '!=', '&&', '||', '(', ')', '[', ']', ',', '.', '?', ':', '!', '-', '+', '*', '/', '%', '<', '>'];
const HINTS: Record<string, string> = {
  '=': "'=' is not an operator; compare with '=='",
  '&': "use '&&' for and",
  '|': "use '||' for or",
};
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0', '\\': '\\', "'": "'", '"': '"', '/': '/' };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/**
 * Splits `source` into tokens. `offset` is where `source` starts inside a larger text (a
 * template), so every position reported is in the caller's coordinates.
 */
export function tokenize(source: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const pos = offset + i;
    if (isDigit(c)) {
      const start = i;
      while (isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1])) {
        i++;
        while (isDigit(source[i])) i++;
      }
      if (source[i] === 'e' || source[i] === 'E') {
        let j = i + 1;
        if (source[j] === '+' || source[j] === '-') j++;
        if (!isDigit(source[j])) throw syntaxError('malformed number exponent', pos);
        i = j;
        while (isDigit(source[i])) i++;
      }
      if (isIdentPart(source[i])) throw syntaxError(`malformed number '${source.slice(start, i + 1)}'`, pos);
      const text = source.slice(start, i);
      const value = Number(text);
      if (!Number.isFinite(value)) throw syntaxError(`number ${text} is too large`, pos);
      tokens.push({ kind: 'number', text, value, pos });
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (isIdentPart(source[i])) i++;
      tokens.push({ kind: 'ident', text: source.slice(start, i), pos });
      continue;
    }
    if (c === '"' || c === "'") {
      const [value, end] = readString(source, i, offset);
      tokens.push({ kind: 'string', text: source.slice(i, end), value, pos });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op === undefined) {
      throw syntaxError(HINTS[c] ?? `unexpected character ${JSON.stringify(c)}`, pos);
    }
    tokens.push({ kind: 'op', text: op, pos });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '', pos: offset + source.length });
  return tokens;
}

/** Reads a quoted string starting at `start`; returns the decoded text and the index after it. */
function readString(source: string, start: number, offset: number): [string, number] {
  const quote = source[start];
  let out = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === quote) return [out, i + 1];
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = source[i + 1];
    if (e === 'u') {
      const hex = source.slice(i + 2, i + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw syntaxError('\\u must be followed by 4 hex digits', offset + i);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 6;
      continue;
    }
    const decoded = e === undefined ? undefined : ESCAPES[e];
    if (decoded === undefined) throw syntaxError(`unknown escape \\${e ?? ''}`, offset + i);
    out += decoded;
    i += 2;
  }
  throw syntaxError('unterminated string', offset + start);
}
