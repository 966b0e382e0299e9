// The knowledge base's public surface: articles, their versioned store, import and export.
export { articleSchema, checkArticle, isActiveAt, LANGUAGES, LIMITS, type Article, type ArticleInput, type ArticleLanguage } from './article.ts';
export { ArticleStore, type ArticleVersion, type ArticleChange, type EditMeta, type LexiconVersion, type ListFilter } from './article-store.ts';
export { KnowledgeBaseError, type FieldIssue, type KnowledgeBaseErrorCode } from './errors.ts';
export { type LanguageLexicon } from './lexicon.ts';
export { CsvError, parseCsv, writeCsv } from './csv.ts';
export { importArticles, parseArticles, readMarkdownFolder, formatIssue, PROGRESS_STEP, type ImportIssue, type ImportSource, type ImportOptions, type ImportResult } from './import.ts';
export { exportArticles, exportCsv, exportJson, exportMarkdown, writeMarkdownFolder, type ExportFormat } from './export.ts';
export type { MarkdownFile } from './markdown.ts';
