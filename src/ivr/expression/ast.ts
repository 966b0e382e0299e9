import type { Value } from './errors.ts';

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '<' | '<=' | '>' | '>='
  | '==' | '!='
  | 'in' | 'startsWith' | 'endsWith' | 'contains';

/** Every node carries `pos`: the source offset evaluation errors report. */
export type Node =
  | { type: 'literal'; value: Value; pos: number }
  | { type: 'array'; items: Node[]; pos: number }
  | { type: 'name'; name: string; pos: number }
  | { type: 'member'; object: Node; key: string; pos: number }
  | { type: 'index'; object: Node; index: Node; pos: number }
  | { type: 'call'; fn: string; args: Node[]; pos: number }
  | { type: 'unary'; op: '!' | '-'; operand: Node; pos: number }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node; pos: number }
  | { type: 'logical'; op: '&&' | '||'; left: Node; right: Node; pos: number }
  | { type: 'conditional'; test: Node; then: Node; otherwise: Node; pos: number };
