// The knowledge routes as the page uses them, through the shared api() client; an edit also sends
// If-Match (the version the editor loaded, so two editors cannot silently overwrite each other).
// The import streams a file with upload progress, which fetch does not report: an XMLHttpRequest
// with the session's CSRF header.
import { API, api, apiError, ApiError, csrfHeaders } from '../../api.ts';

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

/** PUT an article: `expect` is the version the editor started from (0: create only, never overwrite). */
export async function saveArticle(article: Article, expect: number): Promise<ArticleVersion> {
  const headers: Record<string, string> = expect === 0 ? { 'if-none-match': '*' } : { 'if-match': `"${expect}"` };
  return (await api<{ version: ArticleVersion }>(`/knowledge/articles/${encodeURIComponent(article.id)}`, { method: 'PUT', json: article, headers })).version;
}

export async function restoreVersion(id: string, version: number, current: number): Promise<ArticleVersion> {
  return (await api<{ version: ArticleVersion }>(`/knowledge/articles/${encodeURIComponent(id)}/restore`, { method: 'POST', json: { version }, headers: { 'if-match': `"${current}"` } })).version;
}

/** POST /knowledge/import with the file as the body, reporting upload progress (0..1) as it goes. */
export function uploadImport(file: Blob, format: 'json' | 'csv', onProgress: (sent: number, total: number) => void): Promise<{ imported: number; ids?: string[] }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API}/knowledge/import?format=${format}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.upload.onload = () => onProgress(file.size, file.size);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'the upload did not reach the server'));
    xhr.onload = () => {
      let body: { imported?: number; ids?: string[] } | undefined;
      try { body = JSON.parse(xhr.responseText); } catch { body = undefined; }
      if (xhr.status === 200 && body && typeof body.imported === 'number') resolve({ imported: body.imported, ...(body.ids ? { ids: body.ids } : {}) });
      else reject(apiError(xhr.status, body, xhr.statusText));
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
export function saveLexicon(language: Language, lexicon: LanguageLexicon, expect: number): Promise<{ version: number; lexicon: LanguageLexicon }> {
  return api(`/knowledge/lexicons/${language}`, { method: 'PUT', json: lexicon, headers: { 'if-match': `"${expect}"` } });
}

/** PUT a recorded answer (the audio file as the body); the server converts it and stores a new version playing it. */
export function uploadAnswerAudio(id: string, language: Language, file: File, expect: number): Promise<{ version: ArticleVersion; durationSeconds: number }> {
  return api(`/knowledge/articles/${encodeURIComponent(id)}/audio/${language}`, { method: 'PUT', body: file, headers: { 'if-match': `"${expect}"` } });
}
export const answerAudioUrl = (id: string, language: Language) => `${API}/knowledge/articles/${encodeURIComponent(id)}/audio/${language}`;
