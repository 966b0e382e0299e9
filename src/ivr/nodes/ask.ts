// The "ask, wait, retry" pattern shared by menu, gather and survey nodes.
import type { PromptRef } from '../flow-types.ts';
import type { Runtime } from '../runtime.ts';

export interface AskingNode {
  prompts: PromptRef[];
  timeoutSeconds: number;
  retries: number;
  invalidPrompts?: PromptRef[];
  noInputPrompts?: PromptRef[];
}

export function ask(node: AskingNode, rt: Runtime, before: PromptRef[] = []): void {
  rt.clearTimer('input');
  const list = [...before, ...node.prompts];
  if (list.length) rt.play(list, 'ask');
  else rt.timer('input', node.timeoutSeconds);
}

/** The question finished playing: now the caller has timeoutSeconds to answer. */
export function asked(node: AskingNode, rt: Runtime): void {
  rt.timer('input', node.timeoutSeconds);
}

/** Ask again after no input or a wrong answer, or give up when the retries are spent. */
export function retry(node: AskingNode, rt: Runtime, reason: 'no-input' | 'invalid-input', giveUp: () => void): void {
  const attempt = rt.local('attempt', 1) + 1;
  rt.note(reason, { attempt: attempt - 1 });
  if (attempt > node.retries + 1) return giveUp();
  rt.setLocal('attempt', attempt);
  rt.stopPlay();
  ask(node, rt, (reason === 'no-input' ? node.noInputPrompts : node.invalidPrompts) ?? []);
}
