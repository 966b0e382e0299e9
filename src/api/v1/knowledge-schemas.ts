// Schemas of the knowledge routes (documentation and validation of everything but the article
// body itself, which checkArticle validates with a message per field).
import { z } from '@hono/zod-openapi';
import { LANGUAGES } from '../../knowledge/base/index.ts';
import { PageQuery } from './schemas.ts';

export const Language = z.enum(LANGUAGES).openapi({ description: 'zh-CN or en' });

export const Article = z.object({
  id: z.string().openapi({ example: 'payment-methods' }), title: z.string(), standardQuestion: z.string(), similarQuestions: z.array(z.string()),
  keywords: z.array(z.string()), answer: z.string(), answerAudio: z.record(z.string(), z.string()).optional(), agentScript: z.string(),
  categoryPath: z.array(z.string()), tags: z.array(z.string()), language: Language, validFrom: z.string().optional(), validUntil: z.string().optional(), author: z.string(),
}).openapi('Article');

export const ArticleSummary = Article.pick({ id: true, language: true, title: true, standardQuestion: true, categoryPath: true, tags: true, validFrom: true, validUntil: true, author: true }).openapi('ArticleSummary');

export const ArticleVersion = z.object({
  id: z.string(), version: z.number().int(), change: z.enum(['put', 'restore', 'remove']), article: Article.nullable(), author: z.string(), at: z.string(), restoredFrom: z.number().int().optional(),
}).openapi('ArticleVersion');

/** A PUT body: an article, validated field by field by the knowledge base (400 names each bad field). */
export const ArticleBody = z.record(z.string(), z.unknown()).openapi('ArticleInput', { description: 'An Article; id may be left out (it is the path\'s)' });

export const ArticleList = PageQuery.extend({
  language: Language.optional(),
  category: z.string().max(1_000).optional().openapi({ description: 'Category path prefix: billing/refunds' }),
  tag: z.string().max(64).optional(),
  q: z.string().max(200).optional().openapi({ description: 'Text in id, title, questions or keywords (any case)' }),
  sort: z.string().max(40).optional().openapi({ description: 'id, title, language; "-" for descending' }),
});

export const IdParam = z.object({ id: z.string().max(128).openapi({ param: { name: 'id', in: 'path' } }) });
export const LanguageParam = z.object({ language: Language.openapi({ param: { name: 'language', in: 'path' } }) });

export const Published = z.object({ version: z.number().int(), publishedAt: z.number(), by: z.string(), articles: z.record(z.string(), z.number()), buildMs: z.number() }).openapi('PublishInfo');

export const Ask = z.object({ text: z.string().max(100_000), language: Language, limit: z.number().int().min(1).max(50).optional() }).strict().openapi('AskQuestion');
export const Answer = z.object({
  outOfScope: z.boolean(), ms: z.number(), warnings: z.array(z.string()),
  matches: z.array(z.object({ article: Article, score: z.number(), confidence: z.number(), matchedTerms: z.array(z.string()), closestQuestion: z.object({ text: z.string(), similarity: z.number() }).optional() })),
}).openapi('KnowledgeAnswer');

export const Lexicon = z.object({ language: Language, version: z.number().int(), lexicon: z.record(z.string(), z.unknown()) }).openapi('Lexicon');
