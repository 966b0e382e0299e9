// Every IVR node kind as the editor knows it: its fields (in the order the property panel shows
// them), what a new one starts as, and where it can go next (the canvas edges). The shapes mirror
// src/ivr/nodes/*; the server's validator stays the judge of what is valid.

export type FieldType =
  | 'text' | 'textarea' | 'number' | 'int' | 'bool' | 'enum' | 'key'
  | 'target' | 'prompts' | 'options' | 'branches' | 'map' | 'lines' | 'json' | 'flow' | 'queue';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required?: boolean;
  /** enum values */
  values?: readonly string[];
  min?: number;
  max?: number;
}

export type FlowNode = { kind: string; label?: string } & Record<string, unknown>;

export interface FlowDoc {
  id: string;
  name: string;
  description?: string;
  languages: string[];
  defaultLanguage: string;
  start: string;
  transcription?: string;
  variables?: Record<string, unknown>;
  nodes: Record<string, FlowNode>;
  /** Where the editor draws each node (optional; calls ignore it). */
  layout?: { nodes: Record<string, { x: number; y: number }> };
  [extra: string]: unknown;
}

const f = (name: string, type: FieldType, more: Omit<FieldSpec, 'name' | 'type'> = {}): FieldSpec => ({ name, type, ...more });
const next = f('next', 'target', { required: true });
const onError = f('onError', 'target');
const prompts = (required = true) => f('prompts', 'prompts', { required });
const asking = [f('timeoutSeconds', 'number', { min: 0, max: 60 }), f('retries', 'int', { min: 0, max: 9 }), f('invalidPrompts', 'prompts'), f('noInputPrompts', 'prompts')];

export const NODE_KINDS: readonly string[] = [
  'play', 'menu', 'gather', 'gather-speech', 'faq-bot', 'condition', 'business-hours', 'http', 'set', 'language',
  'queue', 'transfer', 'voicemail', 'callback', 'survey', 'subflow', 'return', 'goto', 'hangup',
];

export const FIELDS: Record<string, readonly FieldSpec[]> = {
  play: [prompts(), next, f('bargeIn', 'bool')],
  menu: [prompts(), f('options', 'options', { required: true }), ...asking, f('repeatKey', 'key'), f('default', 'target')],
  gather: [
    prompts(false), f('variable', 'text', { required: true }), f('minDigits', 'int', { min: 1, max: 64 }), f('maxDigits', 'int', { min: 1, max: 64 }),
    f('terminator', 'enum', { values: ['#', '*', ''] }), f('timeoutSeconds', 'number', { min: 0, max: 60 }), f('interDigitTimeoutSeconds', 'number', { min: 0, max: 30 }),
    f('pattern', 'text'), f('retries', 'int', { min: 0, max: 9 }), f('sensitive', 'bool'), f('invalidPrompts', 'prompts'), f('noInputPrompts', 'prompts'),
    next, f('onFailure', 'target'),
  ],
  'gather-speech': [
    prompts(false), f('variable', 'text', { required: true }), f('timeoutSeconds', 'number', { min: 0, max: 60 }), f('phrases', 'lines'),
    f('language', 'enum', { values: ['en', 'zh-CN'] }), next, f('onFailure', 'target', { required: true }), onError,
  ],
  'faq-bot': [
    prompts(false), f('noInputPrompts', 'prompts'), f('feedbackPrompts', 'prompts'), f('handoffPrompts', 'prompts'), f('donePrompts', 'prompts'),
    f('minConfidence', 'number', { min: 0, max: 1 }), f('maxTurns', 'int', { min: 1, max: 5 }), f('listenSeconds', 'number', { min: 0, max: 30 }),
    f('feedbackSeconds', 'number', { min: 0, max: 30 }), next, f('onHandoff', 'target', { required: true }), onError,
  ],
  condition: [f('branches', 'branches', { required: true }), f('else', 'target', { required: true })],
  'business-hours': [f('hours', 'json', { required: true }), f('open', 'target', { required: true }), f('closed', 'target', { required: true }), f('holiday', 'target')],
  http: [
    f('method', 'enum', { values: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] }), f('url', 'text', { required: true }), f('headers', 'map'), f('body', 'textarea'),
    f('timeoutSeconds', 'number', { min: 0, max: 30 }), f('retries', 'int', { min: 0, max: 3 }), f('responseVariables', 'map'), next, f('onError', 'target', { required: true }),
  ],
  set: [f('assign', 'map', { required: true }), next],
  language: [f('language', 'enum', { values: ['en', 'zh-CN'], required: true }), next],
  queue: [
    f('queue', 'queue', { required: true }), f('priority', 'text'), f('skills', 'lines'), f('callbackKey', 'key'), f('callbackConfirm', 'prompts'),
    f('exitKey', 'key'), f('onExit', 'target'), f('onOverflow', 'target'), onError,
  ],
  transfer: [f('to', 'text', { required: true }), f('via', 'enum', { values: ['extension', 'trunk'] }), f('trunk', 'text'), onError],
  voicemail: [prompts(false), f('maxSeconds', 'int', { min: 5, max: 600 }), f('beep', 'bool'), f('confirm', 'json'), next, onError],
  callback: [
    prompts(), f('number', 'text'), f('acceptKey', 'key'), f('timeoutSeconds', 'number', { min: 0, max: 60 }), f('confirmPrompts', 'prompts'),
    next, f('onDecline', 'target', { required: true }), onError,
  ],
  survey: [
    f('question', 'text'), prompts(), f('timeoutSeconds', 'number', { min: 0, max: 60 }), f('retries', 'int', { min: 0, max: 5 }),
    f('invalidPrompts', 'prompts'), f('noInputPrompts', 'prompts'), f('thanksPrompts', 'prompts'), next,
  ],
  subflow: [f('flow', 'flow', { required: true }), next],
  return: [],
  goto: [next],
  hangup: [prompts(false)],
};

/** Fields every kind has. */
export const COMMON_FIELDS: readonly FieldSpec[] = [f('label', 'text'), f('transcription', 'enum', { values: ['caller', 'both'] })];

const beep = () => [{ sound: 'beep' }];

/** What a node of `kind` starts as: the fields that have an obvious value; the rest the author fills. */
export function newNode(kind: string, doc: Pick<FlowDoc, 'defaultLanguage'>): FlowNode {
  switch (kind) {
    case 'play': case 'callback': case 'survey': return { kind, prompts: beep() };
    case 'menu': return { kind, prompts: beep(), options: {} };
    case 'gather': return { kind, prompts: beep(), variable: 'digits' };
    case 'gather-speech': return { kind, prompts: beep(), variable: 'speech' };
    case 'condition': return { kind, branches: [{ when: '', next: '' }] };
    case 'business-hours': return { kind, hours: { timezone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'] } } };
    case 'http': return { kind, method: 'GET', url: 'https://' };
    case 'set': return { kind, assign: {} };
    case 'language': return { kind, language: doc.defaultLanguage };
    case 'transfer': return { kind, to: '', via: 'extension' };
    case 'voicemail': return { kind, prompts: beep() };
    default: return { kind };
  }
}

/** A free id for a new node of `kind`: menu-1, menu-2… */
export function freeId(kind: string, nodes: Record<string, unknown>): string {
  for (let i = 1; ; i++) if (!(`${kind}-${i}` in nodes)) return `${kind}-${i}`;
}

/** One outgoing connection of a node: the slot (field path) it is set in, and where it goes. */
export interface Slot {
  /** Stable handle id: "next", "options.1", "branches.0", "default"… */
  id: string;
  /** The field path inside the node. */
  path: (string | number)[];
  /** What the edge says: a field name (translated by the caller), a digit, or a branch number. */
  label: { field: string } | { digit: string } | { branch: number };
  target?: string;
}

/** Every place a node can go next, set or not (menus and conditions: one per option/branch). */
export function slotsOf(node: FlowNode): Slot[] {
  const slots: Slot[] = [];
  for (const spec of FIELDS[node.kind] ?? []) {
    if (spec.type === 'target') slots.push({ id: spec.name, path: [spec.name], label: { field: spec.name }, target: str(node[spec.name]) });
    else if (spec.type === 'options') {
      for (const [digit, target] of Object.entries(asRecord(node.options))) slots.push({ id: `options.${digit}`, path: ['options', digit], label: { digit }, target: str(target) });
    } else if (spec.type === 'branches') {
      asArray(node.branches).forEach((b, i) => slots.push({ id: `branches.${i}`, path: ['branches', i, 'next'], label: { branch: i + 1 }, target: str(asRecord(b).next) }));
    }
  }
  return slots;
}

/** The node with `path` set to `value` (undefined removes it); the node itself is not changed. */
export function setIn(node: FlowNode, path: (string | number)[], value: unknown): FlowNode {
  const set = (obj: unknown, [head, ...rest]: (string | number)[]): unknown => {
    if (head === undefined) return value;
    if (typeof head === 'number') {
      const list = [...asArray(obj)];
      list[head] = set(list[head], rest);
      return list;
    }
    const copy: Record<string, unknown> = { ...asRecord(obj) };
    const inner = set(copy[head], rest);
    if (inner === undefined) delete copy[head];
    else copy[head] = inner;
    return copy;
  };
  return set(node, path) as FlowNode;
}

/** The node with every reference to `target` cleared (when that node is deleted). */
export function withoutTarget(node: FlowNode, target: string): FlowNode {
  let out = node;
  for (const slot of slotsOf(node)) {
    if (slot.target !== target) continue;
    out = slot.path[0] === 'options' ? setIn(out, slot.path, undefined) : setIn(out, slot.path, slot.path[0] === 'branches' ? '' : undefined);
  }
  return out;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const asRecord = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
