// Flow validation: shape (zod, per node kind), graph (targets, reachability, loops that never
// wait for the caller) and meaning (expressions, regexes, prompts, times). Every problem carries
// the JSON path of what is wrong.
import { z } from 'zod';
import { languages, type FlowDocument, type Language, type Problem } from './flow-types.ts';
import { nodeKinds, parseNode } from './nodes/index.ts';
import type { CheckContext } from './runtime.ts';
import { nodeId } from './nodes/common.ts';

export const flowIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const documentSchema = z.object({
  id: z.string().regex(flowIdPattern, 'flow ids are lower-case a-z 0-9 _ -, at most 64'),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  languages: z.array(z.enum(languages as [Language, ...Language[]])).min(1).refine((l) => new Set(l).size === l.length, 'languages repeat'),
  defaultLanguage: z.enum(languages as [Language, ...Language[]]),
  start: nodeId,
  /** Live transcription for calls in this flow; overrides the site's speech.transcribe. */
  transcription: z.enum(['off', 'caller', 'both']).optional(),
  variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).optional(),
  nodes: z.record(nodeId, z.unknown()).refine((n) => Object.keys(n).length <= 500, 'at most 500 nodes'),
  /** Where the visual editor draws each node; calls ignore it. Optional, so hand-written files need none. */
  layout: z.object({
    nodes: z.record(nodeId, z.object({ x: z.number().min(-1e6).max(1e6), y: z.number().min(-1e6).max(1e6) }).strict()).refine((n) => Object.keys(n).length <= 500, 'at most 500 nodes'),
  }).strict().optional(),
}).strict();

export interface ValidationResult {
  flow?: FlowDocument;
  problems: Problem[];
  errors: Problem[];
  warnings: Problem[];
}

export interface ValidationOptions {
  hasPrompt?: (language: Language, id: string) => boolean;
  hasFlow?: (id: string) => boolean;
}

function result(problems: Problem[], flow?: FlowDocument): ValidationResult {
  return { flow, problems, errors: problems.filter((p) => p.severity === 'error'), warnings: problems.filter((p) => p.severity === 'warning') };
}

/** Strongly connected components of the graph restricted to nodes that do not wait (Tarjan). */
function silentLoops(nodes: Record<string, FlowDocument['nodes'][string]>): string[][] {
  const silent = (id: string) => {
    const node = nodes[id];
    const kind = node && nodeKinds.get(node.kind);
    return !!kind && !kind.waits(node);
  };
  const next = (id: string) => nodeKinds.get(nodes[id]!.kind)!.edges(nodes[id]!).map(([, t]) => t).filter((t) => nodes[t] && silent(t));
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next(v).includes(v)) loops.push(component.reverse());
    }
  };
  for (const id of Object.keys(nodes)) if (silent(id) && !indexOf.has(id)) visit(id);
  return loops;
}

export function validateFlow(raw: unknown, options: ValidationOptions = {}): ValidationResult {
  const problems: Problem[] = [];
  const top = documentSchema.safeParse(raw);
  if (!top.success) {
    return result(top.error.issues.map((issue) => ({ path: issue.path as (string | number)[], message: issue.message, severity: 'error' })));
  }
  const doc = top.data;
  if (!doc.languages.includes(doc.defaultLanguage)) problems.push({ path: ['defaultLanguage'], message: `${doc.defaultLanguage} is not among languages`, severity: 'error' });
  const nodes: FlowDocument['nodes'] = {};
  for (const [id, rawNode] of Object.entries(doc.nodes)) {
    const parsed = parseNode(rawNode, ['nodes', id]);
    problems.push(...parsed.problems);
    if (parsed.node) nodes[id] = parsed.node;
  }
  const flow: FlowDocument = { ...doc, nodes };
  if (!doc.nodes[doc.start]) problems.push({ path: ['start'], message: `start node "${doc.start}" does not exist`, severity: 'error' });

  for (const [id, node] of Object.entries(nodes)) {
    for (const [field, target] of nodeKinds.get(node.kind)!.edges(node)) {
      if (!doc.nodes[target]) problems.push({ path: ['nodes', id, ...field], message: `goes to "${target}", which does not exist`, severity: 'error' });
    }
  }

  const reached = new Set<string>();
  const queue = doc.nodes[doc.start] ? [doc.start] : [];
  while (queue.length) {
    const id = queue.pop()!;
    if (reached.has(id) || !nodes[id]) continue;
    reached.add(id);
    for (const [, target] of nodeKinds.get(nodes[id]!.kind)!.edges(nodes[id]!)) queue.push(target);
  }
  // With a node that did not parse, its edges are unknown: reachability would only echo that error.
  const allParsed = Object.keys(nodes).length === Object.keys(doc.nodes).length;
  for (const id of Object.keys(nodes)) {
    if (allParsed && !reached.has(id) && doc.nodes[doc.start]) problems.push({ path: ['nodes', id], message: `unreachable from start "${doc.start}"`, severity: 'error' });
  }

  for (const loop of silentLoops(nodes)) {
    problems.push({ path: ['nodes', loop[0]!], message: `loop ${[...loop, loop[0]].join(' → ')} never waits for the caller (infinite loop)`, severity: 'error' });
  }

  const ctx: CheckContext = {
    flow,
    hasPrompt: options.hasPrompt ?? (() => true),
    hasFlow: options.hasFlow ?? ((id) => id === doc.id),
  };
  for (const [id, node] of Object.entries(nodes)) problems.push(...(nodeKinds.get(node.kind)!.check?.(node, ctx, ['nodes', id]) ?? []));
  if (Object.values(nodes).some((n) => n.kind === 'return') && !Object.values(nodes).some((n) => n.kind === 'subflow')) {
    problems.push({ path: ['nodes'], message: 'has a return node: when run as a main flow, return hangs up', severity: 'warning' });
  }
  return result(problems, problems.some((p) => p.severity === 'error') ? undefined : flow);
}

/** JSON Schema (draft 2020-12) of flow documents, for editors and integrators. */
export function flowJsonSchema(): Record<string, unknown> {
  const nodeSchemas = [...nodeKinds.values()].map((k) => z.toJSONSchema(k.schema, { unrepresentable: 'any', io: 'input' }));
  const doc = z.toJSONSchema(documentSchema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown> & { properties: Record<string, unknown> };
  doc.properties.nodes = { type: 'object', additionalProperties: { oneOf: nodeSchemas.map(({ $schema: _s, ...rest }) => rest) } };
  return { ...doc, $id: 'https://deskline.invalid/schemas/flow.json', title: 'Deskline IVR flow' };
}
