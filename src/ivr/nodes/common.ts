import { z } from 'zod';
import { ExpressionError } from '../expression/index.ts';
import { vetPattern } from '../expression/regex-guard.ts';
import type { Problem, PromptRef } from '../flow-types.ts';
import { cachedExpression, cachedTemplate, type CheckContext } from '../runtime.ts';

export const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'node ids are 1–64 of A-Z a-z 0-9 _ -');
export const seconds = (max: number) => z.number().positive().max(max);

export const promptRef = z.union([
  z.object({ prompt: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'prompt ids are lower-case a-z 0-9 _ -') }).strict(),
  z.object({ tts: z.string().min(1).max(1000) }).strict(),
  z.object({ say: z.enum(['digits', 'number', 'date', 'currency']), value: z.string().min(1).max(200) }).strict(),
  z.object({ sound: z.string().regex(/^[a-z0-9][a-z0-9_/-]{0,99}$/, 'Asterisk sound names: a-z 0-9 _ - /') }).strict(),
]);
export const prompts = z.array(promptRef).max(20);

export const base = {
  label: z.string().max(200).optional(),
  /** Live transcription from this node on (e.g. once the caller reaches a human); never switched off mid-call. */
  transcription: z.enum(['caller', 'both']).optional(),
};

/** Library prompts must exist in every language the flow offers; texts must be valid templates. */
export function checkPrompts(list: PromptRef[] | undefined, ctx: CheckContext, path: (string | number)[]): Problem[] {
  const problems: Problem[] = [];
  (list ?? []).forEach((ref, i) => {
    if ('prompt' in ref) {
      for (const language of ctx.flow.languages) {
        if (!ctx.hasPrompt(language, ref.prompt)) problems.push({ path: [...path, i, 'prompt'], message: `prompt "${ref.prompt}" is not in the ${language} prompt library`, severity: 'error' });
      }
    }
    if ('tts' in ref) problems.push(...checkTemplate(ref.tts, [...path, i, 'tts']));
    if ('say' in ref) problems.push(...checkTemplate(ref.value, [...path, i, 'value']));
  });
  return problems;
}

function checkCompiles(compile: (source: string) => unknown, what: string, source: string, path: (string | number)[]): Problem[] {
  try {
    compile(source);
    return [];
  } catch (error) {
    if (error instanceof ExpressionError) return [{ path, message: `bad ${what}: ${error.message}`, severity: 'error' }];
    throw error;
  }
}

export const checkExpression = (source: string, path: (string | number)[]) => checkCompiles(cachedExpression, 'expression', source, path);
export const checkTemplate = (source: string, path: (string | number)[]) => checkCompiles(cachedTemplate, 'template', source, path);

/** Digit patterns are matched whole (`^(?:pattern)$`), vetted like the expression language's matches(). */
export function checkRegex(source: string, path: (string | number)[]): Problem[] {
  const vetted = vetPattern(`^(?:${source})$`);
  return typeof vetted === 'string' ? [{ path, message: `bad pattern: ${vetted}`, severity: 'error' }] : [];
}

/** Edges helper: only the fields that are set. */
export function edges(entries: [(string | number)[], string | undefined][]): [(string | number)[], string][] {
  return entries.filter((e): e is [(string | number)[], string] => typeof e[1] === 'string');
}
