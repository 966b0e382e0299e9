// A readable difference between two flow documents: the flow's own fields, then nodes added,
// removed and changed, each change field by field ("options.1: queue-1 → queue-2").
import { asRecord, type FlowDoc } from './node-kinds.ts';

export interface FieldChange { field: string; before?: string; after?: string }
export interface FlowDiff {
  flow: FieldChange[];
  added: string[];
  removed: string[];
  changed: { id: string; kind: string; fields: FieldChange[] }[];
}

/** Leaves of a JSON value by dotted path: {a: {b: [1]}} → {"a.b.0": "1"}. */
function flatten(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value) && value.length) value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out));
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  return out;
}

function changes(before: unknown, after: unknown): FieldChange[] {
  const a = flatten(before, '', new Map()), b = flatten(after, '', new Map());
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields.filter((k) => a.get(k) !== b.get(k)).map((field) => ({ field, ...(a.has(field) ? { before: a.get(field) } : {}), ...(b.has(field) ? { after: b.get(field) } : {}) }));
}

export function diffFlows(before: FlowDoc, after: FlowDoc): FlowDiff {
  // Node positions (layout) change nothing for callers: left out.
  const { nodes: beforeNodes, layout: _l1, ...beforeTop } = before;
  const { nodes: afterNodes, layout: _l2, ...afterTop } = after;
  const oldNodes = asRecord(beforeNodes), newNodes = asRecord(afterNodes);
  return {
    flow: changes(beforeTop, afterTop),
    added: Object.keys(newNodes).filter((id) => !(id in oldNodes)).sort(),
    removed: Object.keys(oldNodes).filter((id) => !(id in newNodes)).sort(),
    changed: Object.keys(newNodes).filter((id) => id in oldNodes).sort()
      .map((id) => ({ id, kind: String(asRecord(newNodes[id]).kind), fields: changes(oldNodes[id], newNodes[id]) }))
      .filter((c) => c.fields.length > 0),
  };
}

export const isEmptyDiff = (d: FlowDiff) => !d.flow.length && !d.added.length && !d.removed.length && !d.changed.length;
