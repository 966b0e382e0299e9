// The knowledge routes as the page uses them. Most calls go through the shared api() client; an
// edit also sends If-Match (the version the editor loaded, so two editors cannot silently
// overwrite each other) and the import streams a file with upload progress, which api() does not
// do, so those two build their requests here with the session's CSRF token.
import { API, ApiError } from '../../api.ts';

export type Language = 'en' | 'zh-CN';
export const LANGUAGES: Language[] = ['zh-CN', 'en'];

export interface Article {
  id: string; title: string; standardQuestion: string; similarQuestions: string[]; keywords: string[];
  answer: string; answerAudio?: Partial<Record<Language, string>>; agentScript: string;
  categoryPath: string[]; tags: string[]; language: Language; validFrom?: string; validUntil?: string; author: string;
}
export type ArticleSummary = Pick<Article, 'id' | 'language' | 'title' | 'standardQuestion' | 'categoryPath' | 'tags' | 'validFrom' | 'validUntil' | 'author'>;
export interface ArticleVersion { id: string; version: number; change: 'put' | 'restore' | 'remove'; article: Article | null; author: string; at: string; restoredFrom?: number }
/** What is published; `articles` counts them per language. */
export interface Published { version: number; publishedAt: number; by: string; articles: Partial<Record<Language, number>>; buildMs: number }
export const publishedCount = (p: Published) => Object.values(p.articles).reduce((sum, n) => sum + (n ?? 0), 0);
export type ListedArticle = ArticleSummary & { publishedVersion: number | null };
export interface FieldIssue { path: string; message: string; row?: number; line?: number; index?: number; file?: string }
export interface Match { article: Article; score: number; confidence: number; matchedTerms: string[]; closestQuestion?: { text: string; similarity: number } }
export interface AskAnswer { outOfScope: boolean; ms: number; warnings: string[]; matches: Match[] }
export interface QuestionGroup { language: Language; representative: string; count: number; examples: { text: string; count: number }[]; articles: { id: string; top: number; bestConfidence: number }[]; lastAt: number | null }

let csrf: string | undefined;
export const useCsrf = (token: string | undefined) => { csrf = token; };

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  return new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText, body?.error?.details);
}

/** PUT an article: `expect` is the version the editor started from (0: create only, never overwrite). */
export async function saveArticle(article: Article, expect: number): Promise<ArticleVersion> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) };
  if (expect === 0) headers['if-none-match'] = '*';
  else headers['if-match'] = `"${expect}"`;
  const res = await fetch(`${API}/knowledge/articles/${encodeURIComponent(article.id)}`, { method: 'PUT', headers, credentials: 'same-origin', body: JSON.stringify(article) });
  if (!res.ok) throw await errorOf(res);
  return ((await res.json()) as { version: ArticleVersion }).version;
}

export async function restoreVersion(id: string, version: number, current: number): Promise<ArticleVersion> {
  const res = await fetch(`${API}/knowledge/articles/${encodeURIComponent(id)}/restore`, {
    method: 'POST', credentials: 'same-origin', body: JSON.stringify({ version }),
    headers: { accept: 'application/json', 'content-type': 'application/json', 'if-match': `"${current}"`, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  });
  if (!res.ok) throw await errorOf(res);
  return ((await res.json()) as { version: ArticleVersion }).version;
}

/** POST /knowledge/import with the file as the body, reporting upload progress (0..1) as it goes. */
export function uploadImport(file: Blob, format: 'json' | 'csv', onProgress: (sent: number, total: number) => void): Promise<{ imported: number; ids?: string[] }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API}/knowledge/import?format=${format}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.upload.onload = () => onProgress(file.size, file.size);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload did not reach the server'));
    xhr.onload = () => {
      let body: { imported?: number; ids?: string[]; error?: { code?: string; message?: string; details?: unknown } } | undefined;
      try { body = JSON.parse(xhr.responseText); } catch { body = undefined; }
      if (xhr.status === 200 && body && typeof body.imported === 'number') resolve({ imported: body.imported, ...(body.ids ? { ids: body.ids } : {}) });
      else reject(new ApiError(xhr.status, body?.error?.code ?? `HTTP_${xhr.status}`, body?.error?.message ?? xhr.statusText, body?.error?.details));
    };
    xhr.send(file);
  });
}

/** Field problems of a refused save or import (the API's details), if that is what they are. */
export const issuesOf = (error: unknown): FieldIssue[] =>
  error instanceof ApiError && Array.isArray(error.details) ? (error.details as FieldIssue[]).filter((d) => d && typeof d.message === 'string') : [];

/** A draft handed from another view (an unmatched question) to the editor for a new article. */
let pendingDraft: Partial<Article> | undefined;
export const handDraft = (draft: Partial<Article>) => { pendingDraft = draft; };
/** Read, not consumed: React may run an editor's setup twice (StrictMode); the draft goes when an article is created or the list is opened. */
export const takeDraft = (): Partial<Article> | undefined => pendingDraft;
export const dropDraft = () => { pendingDraft = undefined; };

/** A slug for an id from a title (Latin letters and digits; Chinese titles get a dated id). */
export function slugOf(title: string): string {
  const slug = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return slug || `article-${Date.now().toString(36)}`;
}

export interface LanguageLexicon { synonyms: Record<string, string>; stopWords: string[] }

/** PUT a language's synonyms and stop words, from the version the editor loaded. */
export async function saveLexicon(language: Language, lexicon: LanguageLexicon, expect: number): Promise<{ version: number; lexicon: LanguageLexicon }> {
  const res = await fetch(`${API}/knowledge/lexicons/${language}`, {
    method: 'PUT', credentials: 'same-origin', body: JSON.stringify(lexicon),
    headers: { accept: 'application/json', 'content-type': 'application/json', 'if-match': `"${expect}"`, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as { version: number; lexicon: LanguageLexicon };
}

/** PUT a recorded answer (the audio file as the body); the server converts it and stores a new version playing it. */
export async function uploadAnswerAudio(id: string, language: Language, file: File, expect: number): Promise<{ version: ArticleVersion; durationSeconds: number }> {
  const res = await fetch(`${API}/knowledge/articles/${encodeURIComponent(id)}/audio/${language}`, {
    method: 'PUT', credentials: 'same-origin', body: file,
    headers: { accept: 'application/json', 'content-type': file.type || 'application/octet-stream', 'if-match': `"${expect}"`, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as { version: ArticleVersion; durationSeconds: number };
}
export const answerAudioUrl = (id: string, language: Language) => `${API}/knowledge/articles/${encodeURIComponent(id)}/audio/${language}`;
