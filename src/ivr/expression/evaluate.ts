import type { BinaryOp, Node } from './ast.ts';
import { budgetError, evalError, FORBIDDEN_KEYS, LIMITS, type Value } from './errors.ts';
import { builtin } from './functions.ts';
import { checkLength, deepEqual, type Meter, ownValue, readMember, toText, truthy, typeName } from './values.ts';

/**
 * Tree-walking evaluator. One instance per evaluation (or per template render): it owns the
 * step budget. It reads the scope only through own data properties and never mutates it.
 */
export class Evaluator implements Meter {
  private steps = 0;

  constructor(private readonly scope: Record<string, Value>) {}

  charge(steps: number, pos: number): void {
    this.steps += steps;
    if (this.steps > LIMITS.evaluationSteps) throw budgetError(`evaluation took more than ${LIMITS.evaluationSteps} steps`, pos);
  }

  evaluate(node: Node): Value {
    this.charge(1, node.pos);
    switch (node.type) {
      case 'literal':
        return node.value;
      case 'array': {
        if (node.items.length > LIMITS.arrayItems) throw budgetError(`array of ${node.items.length} items exceeds the limit of ${LIMITS.arrayItems}`, node.pos);
        return node.items.map((item) => this.evaluate(item));
      }
      case 'name':
        return ownValue(this.scope, node.name);
      case 'member':
        return readMember(this.evaluate(node.object), node.key);
      case 'index': {
        const object = this.evaluate(node.object);
        return readMember(object, this.evaluate(node.index));
      }
      case 'call':
        return this.call(node);
      case 'unary': {
        const operand = this.evaluate(node.operand);
        if (node.op === '!') return !truthy(operand);
        if (typeof operand !== 'number') throw evalError(`operator - cannot be applied to ${typeName(operand)}`, node.pos);
        return -operand;
      }
      case 'logical': {
        const left = truthy(this.evaluate(node.left));
        if (node.op === '&&' ? !left : left) return left;
        return truthy(this.evaluate(node.right));
      }
      case 'conditional':
        return truthy(this.evaluate(node.test)) ? this.evaluate(node.then) : this.evaluate(node.otherwise);
      case 'binary':
        return this.binary(node.op, this.evaluate(node.left), this.evaluate(node.right), node.pos);
    }
  }

  private call(node: Extract<Node, { type: 'call' }>): Value {
    if (node.fn === 'coalesce') {
      for (const arg of node.args) {
        const value = this.evaluate(arg);
        if (value !== null) return value;
      }
      return null;
    }
    const args = node.args.map((arg) => this.evaluate(arg));
    const result = builtin(node.fn).call(args, { meter: this, pos: node.pos, argPos: node.args.map((arg) => start(arg)) });
    if (typeof result === 'string') checkLength(result, node.pos);
    return result;
  }

  private binary(op: BinaryOp, left: Value, right: Value, pos: number): Value {
    const mismatch = () => evalError(`operator ${op} cannot be applied to ${typeName(left)} and ${typeName(right)}`, pos);
    switch (op) {
      case '==':
        return deepEqual(left, right, this, pos);
      case '!=':
        return !deepEqual(left, right, this, pos);
      case '+':
        if (typeof left === 'string' || typeof right === 'string') {
          const a = toText(left, this, pos);
          const b = toText(right, this, pos);
          if (a.length + b.length > LIMITS.stringChars) {
            throw budgetError(`string of ${a.length + b.length} characters exceeds the limit of ${LIMITS.stringChars}`, pos);
          }
          return a + b;
        }
        if (typeof left !== 'number' || typeof right !== 'number') throw mismatch();
        return finite(left + right, op, pos);
      case '-':
      case '*':
      case '/':
      case '%': {
        if (typeof left !== 'number' || typeof right !== 'number') throw mismatch();
        if ((op === '/' || op === '%') && right === 0) throw evalError(`division by zero (${op})`, pos);
        const result = op === '-' ? left - right : op === '*' ? left * right : op === '/' ? left / right : left % right;
        return finite(result, op, pos);
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
        if (!comparable) throw mismatch();
        const [a, b] = [left as number | string, right as number | string];
        return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      }
      case 'in':
        return this.contains(right, left, op, pos);
      case 'contains':
        return this.contains(left, right, op, pos);
      case 'startsWith':
      case 'endsWith':
        if (typeof left !== 'string' || typeof right !== 'string') throw mismatch();
        return op === 'startsWith' ? left.startsWith(right) : left.endsWith(right);
    }
  }

  /** `needle in haystack` / `haystack contains needle`: array item, substring or own key. */
  private contains(haystack: Value, needle: Value, op: BinaryOp, pos: number): boolean {
    if (Array.isArray(haystack)) {
      for (let i = 0; i < haystack.length; i++) if (deepEqual(readMember(haystack, i), needle, this, pos)) return true;
      return false;
    }
    if (typeof haystack === 'string' && typeof needle === 'string') return haystack.includes(needle);
    if (haystack !== null && typeof haystack === 'object' && typeof needle === 'string') {
      return !FORBIDDEN_KEYS.has(needle) && Object.hasOwn(haystack, needle);
    }
    const [left, right] = op === 'in' ? [needle, haystack] : [haystack, needle];
    throw evalError(`operator ${op} cannot be applied to ${typeName(left)} and ${typeName(right)}`, pos);
  }
}

function finite(result: number, op: string, pos: number): number {
  if (!Number.isFinite(result)) throw evalError(`result of ${op} is not a finite number`, pos);
  return result;
}

/** Where a node's text begins, for argument positions in error messages. */
function start(node: Node): number {
  switch (node.type) {
    case 'member':
    case 'index':
      return Math.min(node.pos, start(node.object));
    case 'binary':
    case 'logical':
      return start(node.left);
    case 'conditional':
      return start(node.test);
    default:
      return node.pos;
  }
}
