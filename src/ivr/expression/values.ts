import { budgetError, FORBIDDEN_KEYS, LIMITS, type Value } from './errors.ts';

/** Counts evaluation work; throws EXPR_BUDGET when the budget runs out. */
export interface Meter {
  charge(steps: number, pos: number): void;
}

export type TypeName = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export function typeName(value: Value): TypeName {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as TypeName;
}

/** Falsy: false, null, 0, NaN, "", [] and {}. Everything else is truthy. */
export function truthy(value: Value): boolean {
  if (value === null || value === false || value === 0 || value === '' || Number.isNaN(value)) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Turns whatever the scope holds into a Value without running any JS: functions, class
 * instances, symbols, bigints and undefined all read as null.
 */
export function sanitize(value: unknown): Value {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) return value as Value[];
      return isPlainObject(value) ? (value as { [key: string]: Value }) : null;
    default:
      return null;
  }
}

/** An own data property of a plain object, or null. Getters are never invoked. */
export function ownValue(holder: object, key: string): Value {
  if (FORBIDDEN_KEYS.has(key)) return null;
  const descriptor = Object.getOwnPropertyDescriptor(holder, key);
  return descriptor !== undefined && 'value' in descriptor ? sanitize(descriptor.value) : null;
}

/** `object.key` / `object[key]`: only array items by integer index and own keys of plain objects. */
export function readMember(object: Value, key: Value): Value {
  if (object === null || typeof object !== 'object') return null;
  if (Array.isArray(object)) {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= object.length) return null;
    return ownValue(object, String(key));
  }
  if (typeof key === 'string') return ownValue(object, key);
  if (typeof key === 'number' && Number.isInteger(key)) return ownValue(object, String(key));
  return null;
}

function entries(object: { [key: string]: Value }): [string, Value][] {
  return Object.keys(object).map((key) => [key, ownValue(object, key)]);
}

/** Strict structural equality: no coercion; arrays and objects compare by content. */
export function deepEqual(a: Value, b: Value, meter: Meter, pos: number, depth = 0): boolean {
  meter.charge(1, pos);
  if (depth > LIMITS.dataDepth) throw budgetError(`data nests deeper than ${LIMITS.dataDepth} levels`, pos);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!deepEqual(readMember(a, i), readMember(b, i), meter, pos, depth + 1)) return false;
    }
    return true;
  }
  const left = entries(a);
  if (left.length !== Object.keys(b).length) return false;
  return left.every(([key, value]) => Object.hasOwn(b, key) && deepEqual(value, ownValue(b, key), meter, pos, depth + 1));
}

export function checkLength(text: string, pos: number): string {
  if (text.length > LIMITS.stringChars) throw budgetError(`string of ${text.length} characters exceeds the limit of ${LIMITS.stringChars}`, pos);
  return text;
}

/**
 * Text form used by `+` with a string, string(), and templates: null is "", numbers and
 * booleans as JavaScript writes them, arrays and objects as JSON.
 */
export function toText(value: Value, meter: Meter, pos: number): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return checkLength(toJson(value, meter, pos, 0), pos);
}

function toJson(value: Value, meter: Meter, pos: number, depth: number): string {
  meter.charge(1, pos);
  if (depth > LIMITS.dataDepth) throw budgetError(`data nests deeper than ${LIMITS.dataDepth} levels`, pos);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' && !Number.isFinite(value) ? 'null' : JSON.stringify(value);
  }
  let out = '';
  const add = (part: string) => {
    out += part;
    checkLength(out, pos);
  };
  if (Array.isArray(value)) {
    add('[');
    for (let i = 0; i < value.length; i++) add((i > 0 ? ',' : '') + toJson(readMember(value, i), meter, pos, depth + 1));
    add(']');
    return out;
  }
  add('{');
  entries(value).forEach(([key, item], i) => add(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:${toJson(item, meter, pos, depth + 1)}`));
  add('}');
  return out;
}
