// Which published flows play a library prompt: the prompt library refuses to delete a prompt that
// a live flow would then miss. Only each flow's published version counts (drafts are checked when
// they are published; calls still running an older version keep the files they already resolved
// or fall back to the catalog text).
import type { FlowDocument, Language } from '../ivr/flow-types.ts';

export interface PublishedFlows {
  list(): Promise<{ id: string }[]>;
  current(flowId: string): number | undefined;
  get(flowId: string, version: number): FlowDocument | undefined;
}

/** True if anything under `value` is a prompt reference `{ prompt: id }`. */
export function refersToPrompt(value: unknown, id: string, depth = 0): boolean {
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => refersToPrompt(v, id, depth + 1));
  const record = value as Record<string, unknown>;
  if (typeof record.prompt === 'string' && Object.keys(record).length === 1) return record.prompt === id;
  return Object.values(record).some((v) => refersToPrompt(v, id, depth + 1));
}

/** `usedBy` for the prompt store, over the flow store. */
export function publishedPromptUsage(flows: PublishedFlows) {
  return async (language: string, id: string): Promise<string[]> => {
    const users: string[] = [];
    for (const { id: flowId } of await flows.list()) {
      const version = flows.current(flowId);
      const doc = version === undefined ? undefined : flows.get(flowId, version);
      if (doc && doc.languages.includes(language as Language) && refersToPrompt(doc.nodes, id)) users.push(flowId);
    }
    return users;
  };
}
