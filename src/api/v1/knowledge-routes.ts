// The knowledge base over the API: articles (versions, If-Match concurrency, restore), lexicons,
// import/export, publish, "test a question" and analytics. Every change is audited after it
// succeeded; errors come out in the one error shape (knowledge-base codes mapped in api-error.ts).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { checkArticle, exportArticles, importArticles, KnowledgeBaseError, type FieldIssue, type Article as ArticleData, type ArticleLanguage, type ImportSource, type LanguageLexicon } from '../../knowledge/base/index.ts';
import { AnswerAudio } from '../../knowledge/base/answer-audio.ts';
import { acceptedContentTypes } from '../../prompts/audio-convert.ts';
import { analyticsFor, type KnowledgeAnalyticsRoutesDeps } from '../../knowledge/analytics/analytics-routes.ts';
import type { KnowledgeService } from '../../knowledge/service/index.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { Answer, Article, ArticleBody, ArticleList, ArticleSummary, ArticleVersion, Ask, IdParam, Language, LanguageParam, Lexicon, Published } from './knowledge-schemas.ts';
import { paginate } from './paging.ts';
import { json, jsonBody, notFound, pageOf, preconditionFailed, tooLarge } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

const summary = (a: ArticleData) => ({ id: a.id, language: a.language, title: a.title, standardQuestion: a.standardQuestion, categoryPath: a.categoryPath, tags: a.tags, validFrom: a.validFrom, validUntil: a.validUntil, author: a.author });

function containsText(a: ArticleData, needle: string): boolean {
  const lower = needle.toLowerCase();
  return [a.id, a.title, a.standardQuestion, ...a.similarQuestions, ...a.keywords].some((s) => s.toLowerCase().includes(lower));
}

const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The ETag you read ("3"); "0" or If-None-Match: * to create only' }), 'if-none-match': z.string().max(40).optional() });
const Versioned = z.object({ version: ArticleVersion });
/** A listed article: its summary and which of its versions is live (null: not published), so a list can say so without a request per article. */
const ListedArticle = ArticleSummary.extend({ publishedVersion: z.number().int().nullable() }).openapi('ListedArticle');
const ImportQuery = z.object({ format: z.enum(['json', 'csv', 'markdown']).openapi({ description: 'json: an array of articles; csv: one article a row; markdown: {"files":[{path, content}]}' }) });
const MarkdownFiles = z.object({ files: z.array(z.object({ path: z.string().min(1).max(1_000), content: z.string() }).strict()).min(1).max(100_000) }).strict();
const ExportQuery = z.object({ format: z.enum(['json', 'csv']), language: Language.optional() });
const AnalyticsQuery = z.object({
  from: z.string().max(40).optional().openapi({ description: 'ISO 8601 date or date-time (default: 7 days before to)' }),
  to: z.string().max(40).optional().openapi({ description: 'ISO 8601 (default: now)' }),
  unmatched: z.string().max(5).optional().openapi({ description: 'How many groups of unmatched questions (0–1000)' }),
});

const AudioParams = IdParam.extend({ language: Language.openapi({ param: { name: 'language', in: 'path' } }) });
const audioUpload = {
  required: true,
  description: 'The recording itself (WAV, MP3, Ogg Vorbis, FLAC, AIFF, AU), converted to the 8 kHz WAV the bot plays',
  content: Object.fromEntries(Object.keys(acceptedContentTypes).map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }])),
};

export function knowledgeRoutes(deps: {
  knowledge: KnowledgeService; audit: Audit; analytics: Omit<KnowledgeAnalyticsRoutesDeps, 'lexicon'>;
  /** Recorded answers (the knowledge audio folder); without it the audio routes are not offered. */
  answerAudio?: AnswerAudio;
}) {
  const { knowledge } = deps;
  const app = new OpenAPIHono<ApiEnv>();
  const actor = (c: { get(k: 'principal'): { username: string } }) => c.get('principal').username;
  const audit = (who: string, action: string, target: string, detail?: Record<string, unknown>) => deps.audit({ actor: who, action, target, ...(detail ? { detail } : {}) });
  /** If-Match "n" → expect version n; If-None-Match: * → expect none (version 0). */
  const expected = (headers: { 'if-match'?: string | undefined; 'if-none-match'?: string | undefined }) => (headers['if-none-match']?.trim() === '*' ? 0 : ifMatchRevision(headers['if-match']));

  app.openapi(secured('knowledge.read', createRoute({ method: 'get', path: '/knowledge/articles', tags: ['knowledge'], summary: 'List articles (current versions, drafts included)', request: { query: ArticleList }, responses: { 200: json(pageOf(ListedArticle), 'Articles') } })), async (c) => {
    const q = c.req.valid('query');
    const category = q.category?.split('/').map((p) => p.trim()).filter(Boolean);
    let articles = await knowledge.articles.list({ ...(q.language ? { language: q.language } : {}), ...(category?.length ? { category } : {}), ...(q.tag ? { tag: q.tag } : {}) });
    if (q.q) articles = articles.filter((a) => containsText(a, q.q!));
    return c.json(paginate(articles.map((a) => ({ ...summary(a), publishedVersion: knowledge.publishedVersion(a.id) ?? null })), q, ['id', 'title', 'language']), 200);
  });

  app.openapi(secured('knowledge.read', createRoute({
    method: 'get', path: '/knowledge/articles/{id}', tags: ['knowledge'], summary: 'One article, its version (ETag) and the version that is published',
    request: { params: IdParam }, responses: { 200: json(z.object({ article: Article, version: z.number().int(), author: z.string(), at: z.string(), publishedVersion: z.number().int().nullable() }), 'The article'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const head = await knowledge.articles.current(id);
    if (!head) throw new ApiError(404, 'KB_NOT_FOUND', `no article ${id}`);
    if (!head.article) throw new ApiError(404, 'KB_NOT_FOUND', `article ${id} was removed in version ${head.version} (restore an earlier version to bring it back)`);
    c.header('etag', `"${head.version}"`);
    return c.json({ article: head.article, version: head.version, author: head.author, at: head.at, publishedVersion: knowledge.publishedVersion(id) ?? null }, 200);
  });

  app.openapi(secured('knowledge.read', createRoute({ method: 'get', path: '/knowledge/articles/{id}/versions', tags: ['knowledge'], summary: 'Every version of an article, oldest first', request: { params: IdParam }, responses: { 200: json(z.object({ history: z.array(ArticleVersion) }), 'Versions'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const history = await knowledge.articles.history(id);
    if (!history.length) throw new ApiError(404, 'KB_NOT_FOUND', `no article ${id}`);
    return c.json({ history }, 200);
  });

  app.openapi(secured('knowledge.write', createRoute({
    method: 'put', path: '/knowledge/articles/{id}', tags: ['knowledge'], summary: 'Create or edit an article (a new version; live after the next publish)',
    request: { params: IdParam, headers: IfMatch, ...jsonBody(ArticleBody) }, responses: { 200: json(Versioned, 'Stored'), ...preconditionFailed },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    // Every problem at once: the id against the path, and each field.
    const issues: FieldIssue[] = body.id !== undefined && body.id !== id ? [{ path: 'id', message: `must match the id in the path (${JSON.stringify(id)})` }] : [];
    const check = checkArticle({ ...body, id });
    if (!check.ok) issues.push(...check.issues);
    if (issues.length) throw new KnowledgeBaseError('KB_INVALID_ARTICLE', 'invalid article', issues);
    const who = actor(c);
    const version = await knowledge.articles.put({ ...body, id }, knowledge.editMeta(who), expected(c.req.valid('header')));
    await audit(who, 'knowledge.article.put', id, { version: version.version });
    c.header('etag', `"${version.version}"`);
    return c.json({ version }, 200);
  });

  const answerAudio = deps.answerAudio;
  if (answerAudio) {
    app.openapi(secured('knowledge.write', createRoute({
      method: 'put', path: '/knowledge/articles/{id}/audio/{language}', tags: ['knowledge'], summary: 'Upload the recorded answer of an article in a language (a new version that plays it; live after the next publish)',
      request: { params: AudioParams, headers: IfMatch, body: audioUpload },
      responses: { 200: json(z.object({ version: ArticleVersion, durationSeconds: z.number() }), 'Stored'), ...notFound, ...preconditionFailed, ...tooLarge, 415: json(z.unknown(), 'Not an accepted content type'), 422: json(z.unknown(), 'Not audio sox can read, or too long (PROMPT_BAD_AUDIO, PROMPT_TOO_LONG)') },
    })), async (c) => {
      const { id, language } = c.req.valid('param');
      const head = await knowledge.articles.current(id);
      if (!head?.article) throw new ApiError(404, 'KB_NOT_FOUND', `no article ${id}`);
      // Check the version before converting: a stale editor learns so without a wasted upload.
      const want = expected(c.req.valid('header'));
      if (want !== undefined && want !== head.version) throw new KnowledgeBaseError('KB_VERSION_MISMATCH', `article ${id} is at version ${head.version}, not ${want}: reload`);
      const stored = await answerAudio.store(id, language, new Uint8Array(await c.req.arrayBuffer()), c.req.header('content-type'));
      const who = actor(c);
      const before = head.article.answerAudio?.[language] ?? null;
      const version = await knowledge.articles.put({ ...head.article, answerAudio: { ...head.article.answerAudio, [language]: stored.file } }, knowledge.editMeta(who), head.version);
      await audit(who, 'knowledge.article.audio', id, { version: version.version, language, before, after: stored.file, durationSeconds: stored.durationSeconds });
      c.header('etag', `"${version.version}"`);
      return c.json({ version, durationSeconds: stored.durationSeconds }, 200);
    });

    app.openapi(secured('knowledge.read', createRoute({
      method: 'get', path: '/knowledge/articles/{id}/audio/{language}', tags: ['knowledge'], summary: 'Hear the recorded answer (8 kHz WAV)',
      request: { params: AudioParams }, responses: { 200: { description: 'The recording', content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } } }, ...notFound },
    })), async (c) => {
      const { id, language } = c.req.valid('param');
      const bytes = await answerAudio.read(id, language);
      if (!bytes) throw new ApiError(404, 'KB_NOT_FOUND', `article ${id} has no ${language} recording`);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'audio/wav', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }) as never;
    });
  }

  app.openapi(secured('knowledge.write', createRoute({
    method: 'post', path: '/knowledge/articles/{id}/restore', tags: ['knowledge'], summary: 'Make an old version current again (as a new version)',
    request: { params: IdParam, headers: IfMatch, ...jsonBody(z.object({ version: z.number().int().min(1) }).strict()) }, responses: { 200: json(Versioned, 'Restored'), ...notFound, ...preconditionFailed },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const who = actor(c);
    const from = c.req.valid('json').version;
    const restored = await knowledge.articles.restore(id, from, knowledge.editMeta(who), expected(c.req.valid('header')));
    await audit(who, 'knowledge.article.restore', id, { version: restored.version, restoredFrom: from });
    c.header('etag', `"${restored.version}"`);
    return c.json({ version: restored }, 200);
  });

  app.openapi(secured('knowledge.write', createRoute({
    method: 'delete', path: '/knowledge/articles/{id}', tags: ['knowledge'], summary: 'Remove an article (a tombstone version: it can be restored)',
    request: { params: IdParam, headers: IfMatch }, responses: { 200: json(Versioned, 'Removed'), ...notFound, ...preconditionFailed },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const who = actor(c);
    const tombstone = await knowledge.articles.remove(id, knowledge.editMeta(who), expected(c.req.valid('header')));
    await audit(who, 'knowledge.article.remove', id, { version: tombstone.version });
    return c.json({ version: tombstone }, 200);
  });

  app.openapi(secured('knowledge.write', createRoute({
    method: 'post', path: '/knowledge/import', tags: ['knowledge'], summary: 'Import articles: all of them or, with any bad row, none (every problem named by row and field)',
    request: { query: ImportQuery, body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary', description: 'The JSON or CSV file as it is; markdown: {"files":[…]} as JSON' }) }, 'text/csv': { schema: z.string() } } } },
    responses: { 200: json(z.object({ imported: z.number().int(), ids: z.array(z.string()).openapi({ description: 'The imported articles, in file order' }) }), 'Imported'), ...tooLarge },
  })), async (c) => {
    const { format } = c.req.valid('query');
    let source: ImportSource;
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (format === 'markdown') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch (error) {
        throw new ApiError(400, 'BAD_REQUEST', `a markdown import is JSON {"files": [{"path", "content"}, …]}: ${(error as Error).message}`);
      }
      const files = MarkdownFiles.safeParse(parsed);
      if (!files.success) throw new ApiError(400, 'BAD_REQUEST', `a markdown import is JSON {"files": [{"path", "content"}, …]}: ${files.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
      source = { format, files: files.data.files };
    } else {
      // Bytes, not text: the importer refuses non-UTF-8 (binary) files instead of decoding them into garbage.
      source = { format, data: bytes };
    }
    const who = actor(c);
    const result = await importArticles(knowledge.articles, source, knowledge.editMeta(who));
    if (!result.ok) {
      const count = result.issues.length;
      throw new ApiError(400, 'KB_IMPORT_INVALID', `${count} problem${count === 1 ? '' : 's'} in the ${format} import; nothing was imported`, result.issues);
    }
    await audit(who, 'knowledge.import', 'knowledge-base', { format, articles: result.articles.length });
    return c.json({ imported: result.articles.length, ids: result.articles.map((a) => a.id) }, 200);
  });

  app.openapi(secured('knowledge.read', createRoute({
    method: 'get', path: '/knowledge/export', tags: ['knowledge'], summary: 'Export the current articles (JSON or CSV, re-importable)',
    request: { query: ExportQuery }, responses: { 200: { description: 'The file', content: { 'application/json': { schema: z.array(Article) }, 'text/csv': { schema: z.string() } } } },
  })), async (c) => {
    const q = c.req.valid('query');
    const text = await exportArticles(knowledge.articles, q.format, q.language ? { language: q.language } : {});
    return c.body(text, 200, { 'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="knowledge.${q.format}"` }) as never;
  });

  app.openapi(secured('knowledge.publish', createRoute({ method: 'post', path: '/knowledge/publish', tags: ['knowledge'], summary: 'Publish: the bot, assist and speech use the current articles from now on', responses: { 200: json(z.object({ published: Published }), 'Published') } })), async (c) => {
    const who = actor(c);
    const published = await knowledge.publish(knowledge.editMeta(who));
    await audit(who, 'knowledge.publish', 'knowledge-base', { version: published.version, articles: published.articles });
    return c.json({ published }, 200);
  });

  app.openapi(secured('knowledge.read', createRoute({ method: 'get', path: '/knowledge/published', tags: ['knowledge'], summary: 'What is published', responses: { 200: json(z.object({ published: Published.nullable() }), 'Published') } })),
    (c) => c.json({ published: knowledge.published() ?? null }, 200));

  app.openapi(secured('knowledge.read', createRoute({ method: 'post', path: '/knowledge/ask', tags: ['knowledge'], summary: 'Test a question against the published knowledge base', request: jsonBody(Ask), responses: { 200: json(Answer, 'Ranked articles, confidence and what matched') } })), (c) => {
    const body = c.req.valid('json');
    return c.json(knowledge.ask(body.text, body.language, body.limit), 200);
  });

  app.openapi(secured('knowledge.read', createRoute({ method: 'get', path: '/knowledge/lexicons/{language}', tags: ['knowledge'], summary: 'Synonyms and stop words of a language', request: { params: LanguageParam }, responses: { 200: json(Lexicon, 'The lexicon') } })), async (c) => {
    const { language } = c.req.valid('param');
    const history = await knowledge.articles.lexiconHistory(language);
    c.header('etag', `"${history.at(-1)?.version ?? 0}"`);
    return c.json({ language, version: history.at(-1)?.version ?? 0, lexicon: (await knowledge.articles.getLexicon(language)) as unknown as Record<string, unknown> }, 200);
  });

  app.openapi(secured('knowledge.write', createRoute({
    method: 'put', path: '/knowledge/lexicons/{language}', tags: ['knowledge'], summary: 'Replace the synonyms and stop words of a language',
    request: { params: LanguageParam, headers: IfMatch, ...jsonBody(z.record(z.string(), z.unknown()).openapi('LexiconInput')) }, responses: { 200: json(Lexicon, 'Stored'), ...preconditionFailed },
  })), async (c) => {
    const { language } = c.req.valid('param');
    const want = ifMatchRevision(c.req.valid('header')['if-match']);
    const current = (await knowledge.articles.lexiconHistory(language)).at(-1)?.version ?? 0;
    if (want !== undefined && want !== current) throw new ApiError(412, 'KB_VERSION_MISMATCH', `the ${language} lexicon is at version ${current}, not ${want}: reload`);
    const who = actor(c);
    // setLexicon validates the body and names every bad field.
    const record = await knowledge.articles.setLexicon(language as ArticleLanguage, c.req.valid('json') as unknown as LanguageLexicon, knowledge.editMeta(who));
    await audit(who, 'knowledge.lexicon.put', language, { version: record.version });
    c.header('etag', `"${record.version}"`);
    return c.json({ language, version: record.version, lexicon: record.lexicon as unknown as Record<string, unknown> }, 200);
  });

  app.openapi(secured('reports.read', createRoute({
    method: 'get', path: '/knowledge/analytics', tags: ['knowledge'], summary: 'Match rate, bot containment, handoff reasons, article usage, unmatched questions',
    request: { query: AnalyticsQuery }, responses: { 200: json(z.record(z.string(), z.unknown()).openapi('KnowledgeAnalytics'), 'Analytics for the range') },
  })), async (c) => {
    const result = await analyticsFor({ ...deps.analytics, lexicon: () => knowledge.articles.matcherLexicon() }, c.req.valid('query'));
    if (!result.ok) throw new ApiError(400, 'BAD_REQUEST', result.message);
    return c.json(result.body as unknown as Record<string, unknown>, 200);
  });

  return app;
}
