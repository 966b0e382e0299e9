import type { BinaryOp, Node } from './ast.ts';
import { budgetError, FORBIDDEN_KEYS, LIMITS, syntaxError } from './errors.ts';
import { checkFunctionCall } from './functions.ts';
import { tokenize, type Token } from './lexer.ts';

export interface Parsed {
  ast: Node;
  /** Top-level names read, in order of first appearance. */
  names: string[];
}

/** Binding power of each infix operator; higher binds tighter. Ternary `?:` is below all. */
const INFIX: Record<string, number> = {
  '||': 2, '&&': 3,
  '==': 4, '!=': 4,
  '<': 5, '<=': 5, '>': 5, '>=': 5, in: 5, startsWith: 5, endsWith: 5, contains: 5,
  '+': 6, '-': 6,
  '*': 7, '/': 7, '%': 7,
};
const RELATIONAL = 5;
const KEYWORDS = new Set(['true', 'false', 'null', 'in', 'startsWith', 'endsWith', 'contains']);

/**
 * Parses one expression. `offset` places `source` inside a larger text (a template) so that
 * positions in errors point into the caller's text.
 */
export function parse(source: string, offset = 0): Parsed {
  if (source.length > LIMITS.sourceChars) {
    throw budgetError(`expression is ${source.length} characters; the limit is ${LIMITS.sourceChars}`, offset + LIMITS.sourceChars);
  }
  return new Parser(tokenize(source, offset)).parseAll();
}

class Parser {
  private i = 0;
  private nodes = 0;
  private depth = 0;
  private readonly names: string[] = [];

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Parsed {
    if (this.peek().kind === 'eof') throw syntaxError('empty expression', this.peek().pos);
    const ast = this.expression(0);
    const rest = this.peek();
    if (rest.kind !== 'eof') throw syntaxError(`unexpected ${describe(rest)}`, rest.pos);
    return { ast, names: this.names };
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    const token = this.tokens[this.i]!;
    if (token.kind !== 'eof') this.i++;
    return token;
  }

  private expect(op: string): Token {
    const token = this.next();
    if (token.kind !== 'op' || token.text !== op) throw syntaxError(`expected '${op}' but found ${describe(token)}`, token.pos);
    return token;
  }

  private node<T extends Node>(node: T): T {
    if (++this.nodes > LIMITS.astNodes) throw budgetError(`expression has more than ${LIMITS.astNodes} nodes`, node.pos);
    return node;
  }

  /** Runs `inner` one nesting level deeper (parentheses, brackets, calls, unary, ternary). */
  private nested<T>(pos: number, inner: () => T): T {
    if (++this.depth > LIMITS.nestingDepth) throw budgetError(`expression nests deeper than ${LIMITS.nestingDepth} levels`, pos);
    const result = inner();
    this.depth--;
    return result;
  }

  private expression(minPower: number): Node {
    let left = this.prefix();
    for (;;) {
      const token = this.peek();
      const op = token.text;
      if (token.kind === 'op' && op === '?' && minPower === 0) {
        this.next();
        const then = this.nested(token.pos, () => this.expression(0));
        this.expect(':');
        const otherwise = this.nested(token.pos, () => this.expression(0));
        left = this.node({ type: 'conditional', test: left, then, otherwise, pos: token.pos });
        continue;
      }
      const power = infixPower(token);
      if (power === 0 || power <= minPower) return left;
      this.next();
      const right = this.expression(power);
      if (op === '&&' || op === '||') {
        left = this.node({ type: 'logical', op, left, right, pos: token.pos });
      } else {
        left = this.node({ type: 'binary', op: op as BinaryOp, left, right, pos: token.pos });
      }
      const after = this.peek();
      if (power === RELATIONAL && infixPower(after) === RELATIONAL) {
        throw syntaxError(`comparisons cannot be chained; combine them with '&&'`, after.pos);
      }
    }
  }

  private prefix(): Node {
    const token = this.next();
    if (token.kind === 'number' || token.kind === 'string') {
      return this.postfix(this.node({ type: 'literal', value: token.value!, pos: token.pos }));
    }
    if (token.kind === 'op') {
      if (token.text === '!' || token.text === '-') {
        const operand = this.nested(token.pos, () => this.expression(8));
        return this.node({ type: 'unary', op: token.text, operand, pos: token.pos });
      }
      if (token.text === '(') {
        const inner = this.nested(token.pos, () => this.expression(0));
        this.expect(')');
        return this.postfix(inner);
      }
      if (token.text === '[') {
        const items = this.nested(token.pos, () => this.list(']'));
        return this.postfix(this.node({ type: 'array', items, pos: token.pos }));
      }
    }
    if (token.kind === 'ident') {
      if (token.text === 'true' || token.text === 'false') return this.postfix(this.node({ type: 'literal', value: token.text === 'true', pos: token.pos }));
      if (token.text === 'null') return this.postfix(this.node({ type: 'literal', value: null, pos: token.pos }));
      if (KEYWORDS.has(token.text)) throw syntaxError(`'${token.text}' is an operator and needs a left-hand value`, token.pos);
      if (this.peek().text === '(' && this.peek().kind === 'op') {
        const open = this.next();
        const args = this.nested(open.pos, () => this.list(')'));
        checkFunctionCall(token.text, args, token.pos);
        return this.postfix(this.node({ type: 'call', fn: token.text, args, pos: token.pos }));
      }
      rejectForbidden(token.text, token.pos);
      if (!this.names.includes(token.text)) this.names.push(token.text);
      return this.postfix(this.node({ type: 'name', name: token.text, pos: token.pos }));
    }
    throw syntaxError(`unexpected ${describe(token)}`, token.pos);
  }

  /** Member access `.name`, `[expr]`; calls on anything but a bare function name are refused. */
  private postfix(target: Node): Node {
    let node = target;
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op') return node;
      if (token.text === '.') {
        this.next();
        const key = this.next();
        if (key.kind !== 'ident') throw syntaxError(`expected a property name after '.' but found ${describe(key)}`, key.pos);
        rejectForbidden(key.text, key.pos);
        node = this.node({ type: 'member', object: node, key: key.text, pos: key.pos });
      } else if (token.text === '[') {
        this.next();
        const index = this.nested(token.pos, () => this.expression(0));
        this.expect(']');
        if (index.type === 'literal' && typeof index.value === 'string') rejectForbidden(index.value, index.pos);
        node = this.node({ type: 'index', object: node, index, pos: token.pos });
      } else if (token.text === '(') {
        throw syntaxError('only built-in functions can be called, by name', token.pos);
      } else {
        return node;
      }
    }
  }

  /** Comma-separated expressions up to `close`; the opening bracket is already consumed. */
  private list(close: string): Node[] {
    const items: Node[] = [];
    if (this.peek().kind === 'op' && this.peek().text === close) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.expression(0));
      const token = this.next();
      if (token.kind === 'op' && token.text === close) return items;
      if (token.kind !== 'op' || token.text !== ',') throw syntaxError(`expected ',' or '${close}' but found ${describe(token)}`, token.pos);
    }
  }
}

function infixPower(token: Token): number {
  if (token.kind !== 'op' && token.kind !== 'ident') return 0;
  return Object.hasOwn(INFIX, token.text) ? INFIX[token.text]! : 0;
}

function rejectForbidden(key: string, pos: number): void {
  if (FORBIDDEN_KEYS.has(key)) throw syntaxError(`'${key}' cannot be read`, pos);
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of input';
  return `${token.kind === 'op' ? '' : `${token.kind} `}'${token.text}'`;
}
