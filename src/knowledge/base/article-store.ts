// Versioned article storage over the Store port (section 'knowledge'). Every edit is a new
// version; nothing is overwritten. Keys:
//   head:<id>                     latest version record of an article (list() reads only these)
//   article:<id>:v:<0000000001>   every version record (history)
//   lexicon-head:<lang>           latest lexicon version of a language
//   lexicon:<lang>:v:<0000000001> every lexicon version
// Ids are slugs (no ':'), so one id's prefix never covers another's.
import { prefixRange, type BatchOperation, type Section, type Store } from '../../store/store.ts';
import type { Article as MatcherArticle, Lexicon } from '../matcher/index.ts';
import { checkArticle, isActiveAt, toFieldIssues, type Article, type ArticleLanguage } from './article.ts';
import { checkTime, KnowledgeBaseError } from './errors.ts';
import { defaultLanguageLexicon, languageLexiconSchema, toMatcherLexicon, type LanguageLexicon } from './lexicon.ts';

export interface EditMeta {
  author: string;
  at: Date;
}

export type ArticleChange = 'put' | 'restore' | 'remove';

export interface ArticleVersion {
  id: string;
  version: number;
  change: ArticleChange;
  /** null for a removal (tombstone) */
  article: Article | null;
  author: string;
  at: string;
  restoredFrom?: number;
}

export interface LexiconVersion {
  language: ArticleLanguage;
  version: number;
  lexicon: LanguageLexicon;
  author: string;
  at: string;
}

export interface ListFilter {
  language?: ArticleLanguage;
  /** Category path prefix: ['billing'] matches ['billing', 'refunds']. */
  category?: string[];
  tag?: string;
  activeAt?: Date;
}

const pad = (version: number) => String(version).padStart(10, '0');
const headKey = (id: string) => `head:${id}`;
const versionKey = (id: string, version: number) => `article:${id}:v:${pad(version)}`;
const lexiconHeadKey = (language: string) => `lexicon-head:${language}`;
const lexiconVersionKey = (language: string, version: number) => `lexicon:${language}:v:${pad(version)}`;

export class ArticleStore {
  private readonly section: Section;
  // Writes read the head and then write the next version: serialize them so two edits of one
  // article can never both become version n+1.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(store: Store) {
    this.section = store.section('knowledge');
  }

  /**
   * Validates and stores a new version of the article. `expectVersion`: the version the edit was
   * based on (0: the article must not exist yet); another current version → KB_VERSION_MISMATCH.
   */
  async put(article: unknown, meta: EditMeta, expectVersion?: number): Promise<ArticleVersion> {
    return this.putMany([article], meta, expectVersion).then((versions) => versions[0]!);
  }

  /** Inside serial(): the edit's base version must still be the current one. */
  private async expect(id: string, expectVersion: number | undefined): Promise<void> {
    if (expectVersion === undefined) return;
    const current = (await this.current(id))?.version ?? 0;
    if (current !== expectVersion) throw new KnowledgeBaseError('KB_VERSION_MISMATCH', `article ${id} is at version ${current}, not ${expectVersion}: someone else changed it; reload`);
  }

  /** Validates all articles first; stores all of them in one batch or none. */
  async putMany(articles: unknown[], meta: EditMeta, expectVersion?: number): Promise<ArticleVersion[]> {
    const at = checkTime(meta.at);
    const valid = articles.map((value) => {
      const check = checkArticle(value);
      if (!check.ok) throw new KnowledgeBaseError('KB_INVALID_ARTICLE', 'invalid article', check.issues);
      return check.article;
    });
    return this.serial(async () => {
      if (expectVersion !== undefined && valid.length === 1) await this.expect(valid[0]!.id, expectVersion);
      const versions: ArticleVersion[] = [];
      const next = new Map<string, number>();
      for (const article of valid) {
        const version = next.get(article.id) ?? ((await this.current(article.id))?.version ?? 0) + 1;
        next.set(article.id, version + 1);
        versions.push({ id: article.id, version, change: 'put', article, author: meta.author, at });
      }
      await this.section.batch(versions.flatMap(writeVersion));
      return versions;
    });
  }

  /** The article as it is now; undefined when it never existed or was removed. */
  async get(id: string): Promise<Article | undefined> {
    return (await this.current(id))?.article ?? undefined;
  }

  /** The latest version record, tombstones included. */
  async current(id: string): Promise<ArticleVersion | undefined> {
    return this.section.get<ArticleVersion>(headKey(id));
  }

  /** Every version, oldest first. */
  async history(id: string): Promise<ArticleVersion[]> {
    const versions: ArticleVersion[] = [];
    for await (const [, version] of this.section.entries<ArticleVersion>(prefixRange(`article:${id}:v:`))) versions.push(version);
    return versions;
  }

  /** Makes an old version current again, as a new version (history is never rewritten). */
  async restore(id: string, version: number, meta: EditMeta, expectVersion?: number): Promise<ArticleVersion> {
    const at = checkTime(meta.at);
    return this.serial(async () => {
      await this.expect(id, expectVersion);
      const old = await this.section.get<ArticleVersion>(versionKey(id, version));
      if (!old?.article) throw new KnowledgeBaseError('KB_NO_SUCH_VERSION', `article ${id} has no version ${version} with content`);
      const head = (await this.current(id))!;
      const restored: ArticleVersion = { id, version: head.version + 1, change: 'restore', article: old.article, author: meta.author, at, restoredFrom: version };
      await this.section.batch(writeVersion(restored));
      return restored;
    });
  }

  /** Removes the article with a tombstone version; its history stays and it can be restored. */
  async remove(id: string, meta: EditMeta, expectVersion?: number): Promise<ArticleVersion> {
    const at = checkTime(meta.at);
    return this.serial(async () => {
      await this.expect(id, expectVersion);
      const head = await this.current(id);
      if (!head?.article) throw new KnowledgeBaseError('KB_NOT_FOUND', `no article ${id}`);
      const tombstone: ArticleVersion = { id, version: head.version + 1, change: 'remove', article: null, author: meta.author, at };
      await this.section.batch(writeVersion(tombstone));
      return tombstone;
    });
  }

  /** Current articles matching every given filter, in id order. */
  async list(filter: ListFilter = {}): Promise<Article[]> {
    if (filter.activeAt) checkTime(filter.activeAt);
    const articles: Article[] = [];
    for await (const [, head] of this.section.entries<ArticleVersion>(prefixRange('head:'))) {
      const a = head.article;
      if (!a) continue;
      if (filter.language && a.language !== filter.language) continue;
      if (filter.tag !== undefined && !a.tags.includes(filter.tag)) continue;
      if (filter.category && !filter.category.every((part, i) => a.categoryPath[i] === part)) continue;
      if (filter.activeAt && !isActiveAt(a, filter.activeAt)) continue;
      articles.push(a);
    }
    return articles;
  }

  /** What buildMatcher wants: the articles of one language in force at `at`. */
  async toMatcherArticles(language: ArticleLanguage, at: Date): Promise<MatcherArticle[]> {
    const articles = await this.list({ language, activeAt: at });
    return articles.map((a) => ({ id: a.id, language: a.language, questions: [a.standardQuestion, ...a.similarQuestions], keywords: [...a.keywords] }));
  }

  /** The language's synonyms and stop words; the matcher's defaults until an admin edits them. */
  async getLexicon(language: ArticleLanguage): Promise<LanguageLexicon> {
    const head = await this.section.get<LexiconVersion>(lexiconHeadKey(language));
    return head?.lexicon ?? defaultLanguageLexicon(language);
  }

  async setLexicon(language: ArticleLanguage, lexicon: LanguageLexicon, meta: EditMeta): Promise<LexiconVersion> {
    const at = checkTime(meta.at);
    const parsed = languageLexiconSchema.safeParse(lexicon);
    if (!parsed.success) throw new KnowledgeBaseError('KB_INVALID_LEXICON', 'invalid lexicon', toFieldIssues(parsed.error));
    return this.serial(async () => {
      const head = await this.section.get<LexiconVersion>(lexiconHeadKey(language));
      const record: LexiconVersion = { language, version: (head?.version ?? 0) + 1, lexicon: parsed.data, author: meta.author, at };
      await this.section.batch([
        { type: 'put', key: lexiconVersionKey(language, record.version), value: record },
        { type: 'put', key: lexiconHeadKey(language), value: record },
      ]);
      return record;
    });
  }

  async lexiconHistory(language: ArticleLanguage): Promise<LexiconVersion[]> {
    const versions: LexiconVersion[] = [];
    for await (const [, v] of this.section.entries<LexiconVersion>(prefixRange(`lexicon:${language}:v:`))) versions.push(v);
    return versions;
  }

  /** Both languages' lexicons in the shape buildMatcher's `lexicon` option takes. */
  async matcherLexicon(): Promise<Lexicon> {
    return toMatcherLexicon(await this.getLexicon('zh-CN'), await this.getLexicon('en'));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }
}

function writeVersion(v: ArticleVersion): BatchOperation[] {
  return [
    { type: 'put', key: versionKey(v.id, v.version), value: v },
    { type: 'put', key: headKey(v.id), value: v },
  ];
}
