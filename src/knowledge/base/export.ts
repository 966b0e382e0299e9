// Export to the three import formats; importing an export gives back equal articles.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Article } from './article.ts';
import type { ArticleStore, ListFilter } from './article-store.ts';
import { writeCsv } from './csv.ts';
import { articleToRow, CSV_COLUMNS } from './csv-columns.ts';
import { articleToMarkdown, type MarkdownFile } from './markdown.ts';

export function exportJson(articles: readonly Article[]): string {
  return `${JSON.stringify(articles, null, 2)}\n`;
}

/** RFC 4180 with CRLF line ends and a header row of every column. */
export function exportCsv(articles: readonly Article[]): string {
  return writeCsv([[...CSV_COLUMNS], ...articles.map(articleToRow)]);
}

/** One `<id>.md` file per article. */
export function exportMarkdown(articles: readonly Article[]): MarkdownFile[] {
  return articles.map(articleToMarkdown);
}

export async function writeMarkdownFolder(dir: string, files: readonly MarkdownFile[]): Promise<void> {
  for (const file of files) {
    const path = join(dir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
}

export type ExportFormat = 'json' | 'csv' | 'markdown';

/** Current articles (optionally filtered) in one format. */
export async function exportArticles(store: ArticleStore, format: 'markdown', filter?: ListFilter): Promise<MarkdownFile[]>;
export async function exportArticles(store: ArticleStore, format: 'json' | 'csv', filter?: ListFilter): Promise<string>;
export async function exportArticles(store: ArticleStore, format: ExportFormat, filter: ListFilter = {}): Promise<string | MarkdownFile[]> {
  const articles = await store.list(filter);
  if (format === 'markdown') return exportMarkdown(articles);
  return format === 'csv' ? exportCsv(articles) : exportJson(articles);
}
