// QA of recorded calls over the API: the scoring criteria (anyone who may read recordings reads
// them; changing them needs recordings.qa and the revision read, else 409), each call's
// evaluations and comments, and a reviewer's own evaluation (the total is computed by the
// server). Every change is audited with before/after.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { QA_ERROR_STATUS, QaError } from '../../qa/qa-errors.ts';
import type { QaService } from '../../qa/qa-service.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { json, jsonBody, notFound } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

const Criterion = z.object({
  id: z.string().max(64).openapi({ description: 'Slug (a-z, 0-9, - and _); evaluations name scores by it', example: 'greeting' }),
  label: z.object({ en: z.string().max(200), 'zh-CN': z.string().max(200) }).openapi({ description: 'What reviewers see, in each UI language' }),
  weight: z.number().openapi({ description: 'How much it counts in the total (above 0, at most 100)' }),
  maxScore: z.number().int().openapi({ description: 'Scores run from 0 to this (1–100)' }),
}).openapi('QaCriterion');
const CriteriaDocument = z.object({ criteria: z.array(Criterion), revision: z.number().int(), updatedAt: z.number().optional(), updatedBy: z.string().optional() }).openapi('QaCriteria');
const CriteriaChange = z.object({
  revision: z.number().int().min(0).openapi({ description: 'The revision you read: a stale one is refused with 409 QA_CONFLICT' }),
  criteria: z.array(Criterion).max(50),
}).openapi('QaCriteriaChange');
const Evaluation = z.object({
  callId: z.string(), reviewer: z.string(), scores: z.record(z.string(), z.number()), comment: z.string(),
  total: z.number(), maxTotal: z.number(), percent: z.number(), criteriaRevision: z.number().int(), createdAt: z.number(), updatedAt: z.number(),
}).openapi('QaEvaluation');
const EvaluationInput = z.object({
  scores: z.record(z.string().max(64), z.number()).openapi({ description: 'criterion id → score (a whole number from 0 to its maxScore); every criterion needs one' }),
  comment: z.string().max(4000).optional(),
}).openapi('QaEvaluationInput');
const Comment = z.object({ id: z.string(), callId: z.string(), author: z.string(), text: z.string(), at: z.number() }).openapi('QaComment');
const CallQa = z.object({ callId: z.string(), evaluations: z.array(Evaluation), comments: z.array(Comment) }).openapi('CallQa');
const IdParam = z.object({ id: z.string().max(256).openapi({ param: { name: 'id', in: 'path' } }) });
const conflict = { 409: { description: 'The criteria changed since the revision you sent: reload', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } } } as const;

/** QaError → the API's error shape (its issues become details, each naming its field). */
async function qa<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof QaError) throw new ApiError(QA_ERROR_STATUS[error.code], error.code, error.message, error.issues.length ? error.issues : undefined);
    throw error;
  }
}

export function qaRoutes(deps: { qa: QaService; audit: Audit }) {
  const app = new OpenAPIHono<ApiEnv>();
  const tags = ['qa'];
  const who = (c: { get(k: 'principal'): { username: string } }) => c.get('principal').username;

  app.openapi(secured('recordings.read', createRoute({ method: 'get', path: '/qa/criteria', tags, summary: 'The criteria calls are scored against (defaults until changed)', responses: { 200: json(CriteriaDocument, 'The criteria') } })),
    async (c) => c.json(await deps.qa.criteria(), 200));

  app.openapi(secured('recordings.qa', createRoute({ method: 'put', path: '/qa/criteria', tags, summary: 'Replace the criteria (send the revision you read)', request: jsonBody(CriteriaChange), responses: { 200: json(CriteriaDocument, 'The new criteria'), ...conflict } })), async (c) => {
    const body = c.req.valid('json');
    const { before, after } = await qa(() => deps.qa.setCriteria(body.criteria, body.revision, who(c)));
    await deps.audit({ actor: who(c), action: 'qa.criteria-update', target: 'qa-criteria', detail: { before, after } });
    return c.json(after, 200);
  });

  app.openapi(secured('recordings.read', createRoute({ method: 'get', path: '/calls/{id}/qa', tags, summary: 'A call\'s evaluations (every reviewer\'s) and comments', request: { params: IdParam }, responses: { 200: json(CallQa, 'The call\'s QA'), ...notFound } })),
    async (c) => c.json(await qa(() => deps.qa.forCall(c.req.valid('param').id)), 200));

  app.openapi(secured('recordings.qa', createRoute({ method: 'post', path: '/calls/{id}/qa', tags, summary: 'Save your evaluation of a call (replaces your earlier one); the total is computed here', request: { params: IdParam, ...jsonBody(EvaluationInput) }, responses: { 200: json(z.object({ evaluation: Evaluation }), 'Saved'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const { before, after } = await qa(() => deps.qa.evaluate(id, who(c), c.req.valid('json')));
    await deps.audit({ actor: who(c), action: 'qa.evaluate', target: id, detail: { before: before ?? null, after } });
    return c.json({ evaluation: after }, 200);
  });

  app.openapi(secured('recordings.qa', createRoute({ method: 'post', path: '/calls/{id}/qa/comments', tags, summary: 'Comment on a call\'s QA', request: { params: IdParam, ...jsonBody(z.object({ text: z.string().max(4000) }).openapi('QaCommentInput')) }, responses: { 201: json(z.object({ comment: Comment }), 'Added'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const comment = await qa(() => deps.qa.comment(id, who(c), c.req.valid('json').text));
    await deps.audit({ actor: who(c), action: 'qa.comment', target: id, detail: { after: comment } });
    return c.json({ comment }, 201);
  });

  return app;
}
