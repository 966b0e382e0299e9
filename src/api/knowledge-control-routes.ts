// Control-socket routes for the knowledge base (mounted under /control): authors' article and
// lexicon edits, import/export, publish, and "test a question" on the published snapshot. The
// CLI's `deskline kb …` commands use them. Every change is audit-logged after it succeeded, and
// every error becomes HTTP in the one onError below.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import {
  checkArticle, exportArticles, importArticles, KnowledgeBaseError, LANGUAGES,
  type Article, type ArticleLanguage, type FieldIssue, type ImportSource, type KnowledgeBaseErrorCode, type LanguageLexicon,
} from '../knowledge/base/index.ts';
import type { KnowledgeService } from '../knowledge/service/index.ts';

export interface KnowledgeAuditEntry {
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

export interface KnowledgeControlDeps {
  knowledge: KnowledgeService;
  audit?: (entry: KnowledgeAuditEntry) => Promise<void>;
  /** Who is asking (over the control socket: whoever may open it). */
  actor: () => string;
}

export const MAX_IMPORT_BODY_BYTES = 50 * 1024 * 1024;
export const MAX_BODY_BYTES = 1024 * 1024;

/** A bad request found by a route; mapped to HTTP with every other error in onError. */
export class KnowledgeRequestError extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

// Exhaustive on purpose: a new KnowledgeBaseError code fails the type check until it is mapped.
const STATUS_OF: Record<KnowledgeBaseErrorCode, ContentfulStatusCode> = {
  KB_INVALID_ARTICLE: 400,
  KB_INVALID_LEXICON: 400,
  KB_NOT_FOUND: 404,
  KB_NO_SUCH_VERSION: 404,
  // Times come from the service's clock, never from the request: a bad one is our bug.
  KB_BAD_TIME: 500,
};

const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, ...(details !== undefined ? { details } : {}) } });

const megabytes = (bytes: number) => `${bytes / 1024 / 1024} MB`;
const limitBody = (maxSize: number, what: string) =>
  bodyLimit({ maxSize, onError: (c) => c.json(errorBody('PAYLOAD_TOO_LARGE', `${what} must be at most ${megabytes(maxSize)}`), 413) });

const language = z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(', ')}` });
const listQuery = z.strictObject({
  language: language.optional(),
  /** Category path prefix, parts separated by '/': `billing/refunds`. */
  category: z.string().max(1_000).optional(),
  tag: z.string().max(64).optional(),
  /** Case-insensitive text in id, title, questions or keywords. */
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  offset: z.coerce.number().int().min(0).default(0),
});
const importQuery = z.strictObject({ format: z.enum(['json', 'csv', 'markdown'], { message: 'must be json, csv or markdown' }) });
const markdownBody = z.strictObject({
  files: z.array(z.strictObject({ path: z.string().min(1).max(1_000), content: z.string() })).min(1).max(100_000),
});
const exportQuery = z.strictObject({ format: z.enum(['json', 'csv'], { message: 'must be json or csv' }), language: language.optional() });
const restoreBody = z.strictObject({ version: z.number().int().min(1) });
const askBody = z.strictObject({ text: z.string(), language, limit: z.number().int().min(1).max(50).optional() });

function parsed<T>(schema: z.ZodType<T>, value: unknown, expected: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new KnowledgeRequestError(400, 'BAD_REQUEST', `expected ${expected}: ${details.map((d) => `${d.path || '(body)'}: ${d.message}`).join('; ')}`, details);
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KnowledgeRequestError(400, 'BAD_REQUEST', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** One line per article for lists; the full article is one GET away. */
function summary(a: Article) {
  return { id: a.id, language: a.language, title: a.title, standardQuestion: a.standardQuestion, categoryPath: a.categoryPath, tags: a.tags, validFrom: a.validFrom, validUntil: a.validUntil, author: a.author };
}

function containsText(a: Article, needle: string): boolean {
  const lower = needle.toLowerCase();
  return [a.id, a.title, a.standardQuestion, ...a.similarQuestions, ...a.keywords].some((s) => s.toLowerCase().includes(lower));
}

function languageParam(c: Context): ArticleLanguage {
  return parsed(language, c.req.param('language'), `a language (${LANGUAGES.join(', ')}) in the path`);
}

export function knowledgeControlRoutes(deps: KnowledgeControlDeps): Hono {
  const { knowledge } = deps;
  const small = limitBody(MAX_BODY_BYTES, 'the request body');
  const audit = async (action: string, target: string, detail?: Record<string, unknown>) => {
    await deps.audit?.({ actor: deps.actor(), action, target, ...(detail ? { detail } : {}) });
  };
  const meta = () => knowledge.editMeta(deps.actor());

  return new Hono()
    .get('/knowledge/articles', async (c) => {
      const query = parsed(listQuery, c.req.query(), '?language=&category=a/b&tag=&q=&limit=&offset=');
      const category = query.category?.split('/').map((p) => p.trim()).filter(Boolean);
      let articles = await knowledge.articles.list({ ...(query.language ? { language: query.language } : {}), ...(category?.length ? { category } : {}), ...(query.tag ? { tag: query.tag } : {}) });
      if (query.q) articles = articles.filter((a) => containsText(a, query.q!));
      return c.json({ total: articles.length, articles: articles.slice(query.offset, query.offset + query.limit).map(summary) });
    })
    .get('/knowledge/articles/:id', async (c) => {
      const id = c.req.param('id');
      const head = await knowledge.articles.current(id);
      if (!head) throw new KnowledgeBaseError('KB_NOT_FOUND', `no article ${id}`);
      if (!head.article) throw new KnowledgeBaseError('KB_NOT_FOUND', `article ${id} was removed in version ${head.version} (restore an earlier version to bring it back)`);
      return c.json({ article: head.article, version: head.version, author: head.author, at: head.at, publishedVersion: knowledge.publishedVersion(id) ?? null });
    })
    .get('/knowledge/articles/:id/history', async (c) => {
      const id = c.req.param('id');
      const history = await knowledge.articles.history(id);
      if (history.length === 0) throw new KnowledgeBaseError('KB_NOT_FOUND', `no article ${id}`);
      return c.json({ history });
    })
    .put('/knowledge/articles/:id', small, async (c) => {
      const id = c.req.param('id');
      const body = await jsonBody(c);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new KnowledgeRequestError(400, 'BAD_REQUEST', 'the body must be an article object');
      const issues: FieldIssue[] = [];
      const record = body as Record<string, unknown>;
      if (record.id !== undefined && record.id !== id) issues.push({ path: 'id', message: `must match the id in the path (${JSON.stringify(id)})` });
      const check = checkArticle({ ...record, id });
      if (!check.ok) issues.push(...check.issues);
      if (issues.length) throw new KnowledgeBaseError('KB_INVALID_ARTICLE', 'invalid article', issues);
      const version = await knowledge.articles.put(check.ok ? check.article : record, meta());
      await audit('knowledge.article.put', id, { version: version.version });
      return c.json({ version });
    })
    .post('/knowledge/articles/:id/restore', small, async (c) => {
      const id = c.req.param('id');
      const { version } = parsed(restoreBody, await jsonBody(c), '{"version": <number>}');
      const restored = await knowledge.articles.restore(id, version, meta());
      await audit('knowledge.article.restore', id, { version: restored.version, restoredFrom: version });
      return c.json({ version: restored });
    })
    .delete('/knowledge/articles/:id', async (c) => {
      const id = c.req.param('id');
      const tombstone = await knowledge.articles.remove(id, meta());
      await audit('knowledge.article.remove', id, { version: tombstone.version });
      return c.json({ version: tombstone });
    })
    .post('/knowledge/import', limitBody(MAX_IMPORT_BODY_BYTES, 'an import'), async (c) => {
      const { format } = parsed(importQuery, c.req.query(), '?format=json|csv|markdown');
      let source: ImportSource;
      if (format === 'markdown') source = { format, files: parsed(markdownBody, await jsonBody(c), '{"files": [{"path", "content"}, …]}').files };
      // Bytes, not text: the importer refuses non-UTF-8 (binary) files instead of decoding them into garbage.
      else source = { format, data: new Uint8Array(await c.req.arrayBuffer()) };
      const result = await importArticles(knowledge.articles, source, meta());
      if (!result.ok) {
        const count = result.issues.length;
        throw new KnowledgeRequestError(400, 'KB_IMPORT_INVALID', `${count} problem${count === 1 ? '' : 's'} in the ${format} import; nothing was imported`, result.issues);
      }
      await audit('knowledge.import', 'knowledge-base', { format, articles: result.articles.length });
      return c.json({ imported: result.articles.length });
    })
    .get('/knowledge/export', async (c) => {
      const query = parsed(exportQuery, c.req.query(), '?format=json|csv&language=');
      const text = await exportArticles(knowledge.articles, query.format, query.language ? { language: query.language } : {});
      const type = query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
      return c.body(text, 200, { 'content-type': type, 'content-disposition': `attachment; filename="knowledge.${query.format}"` });
    })
    .post('/knowledge/publish', small, async (c) => {
      const published = await knowledge.publish(meta());
      await audit('knowledge.publish', 'knowledge-base', { version: published.version, articles: published.articles });
      return c.json({ published });
    })
    .get('/knowledge/published', (c) => c.json({ published: knowledge.published() ?? null }))
    .post('/knowledge/ask', small, async (c) => {
      const body = parsed(askBody, await jsonBody(c), `{"text", "language": ${LANGUAGES.map((l) => `"${l}"`).join(' | ')}, "limit"?: 1–50}`);
      return c.json(knowledge.ask(body.text, body.language, body.limit));
    })
    .get('/knowledge/lexicons/:language', async (c) => {
      const lang = languageParam(c);
      const history = await knowledge.articles.lexiconHistory(lang);
      return c.json({ language: lang, version: history.at(-1)?.version ?? 0, lexicon: await knowledge.articles.getLexicon(lang) });
    })
    .put('/knowledge/lexicons/:language', small, async (c) => {
      const lang = languageParam(c);
      // setLexicon validates the body and names every bad field.
      const record = await knowledge.articles.setLexicon(lang, (await jsonBody(c)) as LanguageLexicon, meta());
      await audit('knowledge.lexicon.put', lang, { version: record.version });
      return c.json({ language: lang, version: record.version, lexicon: record.lexicon });
    })
    .onError((error, c) => {
      // The message names every issue; `details` has them as {path, message} for programs.
      if (error instanceof KnowledgeBaseError) return c.json(errorBody(error.code, error.message, error.issues.length ? error.issues : undefined), STATUS_OF[error.code]);
      if (error instanceof KnowledgeRequestError) return c.json(errorBody(error.code, error.message, error.details), error.status);
      // Anything else is unexpected: the application's own error handler logs it.
      throw error;
    });
}
