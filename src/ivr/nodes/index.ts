// The one factory: every node kind, and the check that a raw node is a valid one of them.
import type { Problem } from '../flow-types.ts';
import type { NodeKind } from '../runtime.ts';
import { callback, survey, voicemail } from './caller-services.ts';
import { condition, goto, hangup, language, set } from './flow-control.ts';
import { faqBot } from './faq-bot.ts';
import { gather } from './gather.ts';
import { gatherSpeech, queue, transfer } from './handoff.ts';
import { businessHours } from './hours.ts';
import { http } from './http.ts';
import { menu } from './menu.ts';
import { play } from './play.ts';
import { ret, subflow } from './subflow.ts';

export const nodeKinds = new Map<string, NodeKind>(
  ([play, menu, gather, gatherSpeech, faqBot, condition, businessHours, http, set, language, queue, transfer, voicemail, callback, survey, subflow, ret, goto, hangup] as NodeKind[]).map((k) => [k.kind, k]),
);

/** Validates one node's shape; returns the parsed node (defaults filled) or problems with paths. */
export function parseNode(raw: unknown, path: (string | number)[]): { node?: Record<string, unknown> & { kind: string }; problems: Problem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { problems: [{ path, message: 'a node is an object with a kind', severity: 'error' }] };
  const kindName = (raw as { kind?: unknown }).kind;
  const kind = typeof kindName === 'string' ? nodeKinds.get(kindName) : undefined;
  if (!kind) {
    return { problems: [{ path: [...path, 'kind'], message: `unknown node kind ${JSON.stringify(kindName)}; known: ${[...nodeKinds.keys()].join(', ')}`, severity: 'error' }] };
  }
  const result = kind.schema.safeParse(raw);
  if (result.success) return { node: result.data as Record<string, unknown> & { kind: string }, problems: [] };
  return { problems: result.error.issues.map((issue) => ({ path: [...path, ...(issue.path as (string | number)[])], message: issue.message, severity: 'error' as const })) };
}
