// The article schema: the one place that says what a valid knowledge-base article is. Every
// string and list has a limit so that a hostile import cannot make the store or matcher huge.
import { z } from 'zod';
import type { FieldIssue } from './errors.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type ArticleLanguage = (typeof LANGUAGES)[number];

export const LIMITS = {
  id: 128,
  title: 300,
  question: 1_000,
  similarQuestions: 500,
  keyword: 100,
  keywords: 100,
  answer: 20_000,
  agentScript: 20_000,
  category: 100,
  categoryDepth: 10,
  tag: 64,
  tags: 50,
  author: 200,
  audioRef: 512,
} as const;

// Control characters are how binary garbage shows up after decoding; single-line fields also
// refuse line breaks (a question with a newline is a paste accident, not a question).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;

const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'contains control characters (binary data?)')
    .refine((s) => !LINE_BREAK.test(s), 'must be a single line');

// Multi-line texts keep their whitespace but store one newline convention, so exports and
// round trips through Windows editors stay byte-stable.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'contains control characters (binary data?)')
    .transform((s) => s.replace(/\r\n?/g, '\n'));

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `at most ${max} entries`);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const isoDate = z
  .string()
  .max(40, 'must be at most 40 characters')
  .refine((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO date (2026-01-31) or date-time with zone');

const slug = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.id, `must be at most ${LIMITS.id} characters`)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'must be a slug: lowercase letters, digits, - or _');

// A relative file reference below the audio store; no absolute paths, no `..`, no URLs.
const audioRef = z
  .string()
  .max(LIMITS.audioRef, `must be at most ${LIMITS.audioRef} characters`)
  .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\w\-./]+$/, 'must be a relative file path (letters, digits, - _ . /; no ..)');

const validityDates = z.object({ validFrom: isoDate.optional(), validUntil: isoDate.optional() });

export const articleSchema = z
  .strictObject({
    id: slug,
    title: line(LIMITS.title),
    standardQuestion: line(LIMITS.question),
    similarQuestions: list(line(LIMITS.question), LIMITS.similarQuestions).default([]),
    keywords: list(line(LIMITS.keyword), LIMITS.keywords).default([]),
    answer: text(LIMITS.answer).refine((s) => s.trim().length > 0, 'must not be empty'),
    answerAudio: z.partialRecord(z.enum(LANGUAGES), audioRef).optional(),
    agentScript: text(LIMITS.agentScript).default(''),
    categoryPath: list(line(LIMITS.category), LIMITS.categoryDepth).default([]),
    tags: list(line(LIMITS.tag), LIMITS.tags).default([]),
    language: z.enum(LANGUAGES, { message: `must be one of ${LANGUAGES.join(', ')}` }),
    validFrom: isoDate.optional(),
    validUntil: isoDate.optional(),
    author: line(LIMITS.author),
  })
  .refine((a) => !(a.validFrom && a.validUntil && Date.parse(a.validUntil) < Date.parse(a.validFrom)), {
    path: ['validUntil'],
    message: 'must not be before validFrom',
    // Check the order even when other fields are bad, so one import run reports every problem.
    when: (payload) => validityDates.safeParse(payload.value).success,
  });

export type Article = z.output<typeof articleSchema>;
export type ArticleInput = z.input<typeof articleSchema>;

export type ArticleCheck = { ok: true; article: Article } | { ok: false; issues: FieldIssue[] };

/** Validates one article; every problem is reported with its field path. */
export function checkArticle(value: unknown): ArticleCheck {
  const parsed = articleSchema.safeParse(value);
  if (parsed.success) return { ok: true, article: parsed.data };
  return { ok: false, issues: toFieldIssues(parsed.error) };
}

export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: path ? `${path}.${key}` : key, message: 'unknown field' });
    } else if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      issues.push({ path, message: 'is required' });
    } else {
      issues.push({ path, message: issue.message });
    }
  }
  return issues;
}

/**
 * Is the article in force at `at`? Date-only bounds are whole UTC days: `validUntil: 2026-12-31`
 * still holds on the 31st. Date-times are instants, inclusive on both ends.
 */
export function isActiveAt(article: Pick<Article, 'validFrom' | 'validUntil'>, at: Date): boolean {
  const time = at.getTime();
  if (article.validFrom && time < Date.parse(article.validFrom)) return false;
  if (article.validUntil) {
    const end = Date.parse(article.validUntil) + (article.validUntil.length === 10 ? 86_400_000 - 1 : 0);
    if (time > end) return false;
  }
  return true;
}
