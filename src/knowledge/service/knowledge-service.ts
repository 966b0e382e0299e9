/**
 * The knowledge base as the rest of Deskline sees it: authors edit articles in `articles` (every
 * edit is a version), and `publish` freezes the current articles into a snapshot that `ask`,
 * `questions` and `article` serve. Edits are not live until the next publish, and a restart
 * serves exactly what was last published (the snapshot is persisted as article versions and
 * rebuilt from the history on `open`).
 */
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../store/store.ts';
import { ArticleStore, isActiveAt, LANGUAGES, type Article, type ArticleLanguage, type EditMeta } from '../base/index.ts';
import { cleanText } from '../matcher/index.ts';
import { loadPublished, savePublished } from './published-record.ts';
import { readingsOf, surestReading } from './readings.ts';
import { buildSnapshot, defaultLexiconOf, toRecord, type PublishedArticle, type PublishedLexicon, type Snapshot } from './snapshot.ts';
import { buildInWorker } from './snapshot-worker.ts';

export interface PublishInfo {
  version: number;
  /** Clock ms. */
  publishedAt: number;
  by: string;
  articles: Record<ArticleLanguage, number>;
  buildMs: number;
}

export interface KnowledgeMatch {
  article: Article;
  score: number;
  /** Calibrated probability that this article answers the question. */
  confidence: number;
  matchedTerms: string[];
  closestQuestion?: { text: string; similarity: number };
}

export interface KnowledgeAnswer {
  outOfScope: boolean;
  matches: KnowledgeMatch[];
  ms: number;
  warnings: string[];
}

export interface KnowledgeServiceDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
}

export const NOT_PUBLISHED = 'no knowledge base is published';
const DEFAULT_LIMIT = 3;
// Article reads per turn of the event loop when publishing.
const READ_CHUNK = 256;

const noAnswer = (warning: string, ms = 0): KnowledgeAnswer => ({ outOfScope: true, matches: [], ms, warnings: [warning] });
const isLanguage = (value: unknown): value is ArticleLanguage => (LANGUAGES as readonly unknown[]).includes(value);

export class KnowledgeService extends EventEmitter<{ published: [PublishInfo] }> {
  readonly articles: ArticleStore;
  private snapshot: Snapshot | undefined;
  /** The last version number handed out, even if that snapshot could not be rebuilt on open. */
  private lastVersion = 0;
  private publishing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly deps: KnowledgeServiceDeps) {
    super();
    this.articles = new ArticleStore(deps.store);
  }

  /** Loads the last published snapshot (if any) and builds its matchers. */
  static async open(deps: KnowledgeServiceDeps): Promise<KnowledgeService> {
    const service = new KnowledgeService(deps);
    const loaded = await loadPublished(deps.store, service.articles, deps.logger);
    if (loaded) {
      const { version, publishedAt, by } = loaded.record.info;
      service.lastVersion = version;
      try {
        const rebuilt = await buildSnapshot(loaded.articles, loaded.lexicons, { version, publishedAt, by }, buildInWorker);
        service.snapshot = rebuilt;
        deps.logger.info({ version: rebuilt.info.version, articles: rebuilt.info.articles, buildMs: rebuilt.info.buildMs }, 'published knowledge base loaded');
      } catch (error) {
        // Start without a knowledge base rather than not at all: calls still reach agents.
        deps.logger.error({ err: error, version }, 'the published knowledge base could not be rebuilt; nothing is published until the next publish');
      }
    }
    return service;
  }

  published(): PublishInfo | undefined {
    return this.snapshot?.info;
  }

  /**
   * Snapshots the articles in force now, builds one matcher per language, persists the snapshot
   * and only then swaps it in, so a failed build or write leaves the old one serving.
   * `meta.author` is recorded as `by`; the instant is the service's clock.
   */
  publish(meta: EditMeta): Promise<PublishInfo> {
    const run = this.publishing.then(() => this.publishNow(meta));
    this.publishing = run.catch(() => undefined);
    return run;
  }

  /** Matches on the published snapshot. Never throws: bad input gives an out-of-scope answer with a warning. */
  ask(text: string, language: ArticleLanguage, limit: number = DEFAULT_LIMIT): KnowledgeAnswer {
    const snapshot = this.snapshot;
    if (!snapshot) return noAnswer(NOT_PUBLISHED);
    if (!isLanguage(language)) return noAnswer(`unknown language ${JSON.stringify(String(language)).slice(0, 40)} (known: ${LANGUAGES.join(', ')})`);
    const published = snapshot.languages.get(language);
    if (!published) return noAnswer(`no ${language} articles are published`);
    if (cleanText(text).text === '') return noAnswer('the question is empty');
    const wanted = Number.isFinite(limit) ? Math.trunc(limit) : DEFAULT_LIMIT;
    try {
      const response = published.matcher.match(text, { language, limit: wanted });
      const matches = response.results.flatMap((result): KnowledgeMatch[] => {
        const entry = snapshot.articles.get(result.id);
        if (!entry) return [];
        const { matchedTerms, closestQuestion } = result.explanation;
        return [{ article: entry.article, score: result.score, confidence: result.confidence, matchedTerms, ...(closestQuestion ? { closestQuestion } : {}) }];
      });
      return { outOfScope: response.outOfScope || matches.length === 0, matches, ms: response.ms, warnings: response.warnings };
    } catch (error) {
      // A matcher bug must not take a live call down with it: the caller gets "no answer".
      this.deps.logger.error({ err: error, language, length: typeof text === 'string' ? text.length : undefined }, 'knowledge matcher failed');
      return noAnswer('the matcher failed on this question');
    }
  }

  /**
   * Matches each reading of the same words (a recognizer's alternatives) and returns the surest
   * answer with the reading it came from. Never throws; no readings gives "the question is empty".
   */
  askReadings(text: string, alternatives: readonly string[], language: ArticleLanguage, limit: number = DEFAULT_LIMIT): KnowledgeAnswer & { heardAs: string } {
    const readings = readingsOf(text, Array.isArray(alternatives) ? alternatives : []);
    if (readings.length <= 1) return { ...this.ask(readings[0] ?? text, language, limit), heardAs: readings[0] ?? text };
    const best = surestReading(readings.map((reading) => ({ text: reading, answer: this.ask(reading, language, limit) })));
    return { ...best.answer, heardAs: best.text };
  }

  /** Every standard and similar question of the published articles in that language. */
  questions(language: ArticleLanguage): string[] {
    return [...(this.snapshot?.languages.get(language)?.questions ?? [])];
  }

  /** The article as published (not as edited since). */
  article(id: string): Article | undefined {
    return this.snapshot?.articles.get(id)?.article;
  }

  /** Which version of the article is published, if it is. */
  publishedVersion(id: string): number | undefined {
    return this.snapshot?.articles.get(id)?.version;
  }

  /** Edit metadata stamped with the service's clock, for callers that have no clock of their own. */
  editMeta(author: string): EditMeta {
    return { author, at: new Date(this.deps.clock.now()) };
  }

  private async publishNow(meta: EditMeta): Promise<PublishInfo> {
    const publishedAt = this.deps.clock.now();
    const at = new Date(publishedAt);
    const articles = await this.activeArticles(at);
    const lexicons = await this.currentLexicons();
    // Training runs on a worker thread: calls, ARI events and HTTP keep being served meanwhile.
    const snapshot = await buildSnapshot(articles, lexicons, { version: this.lastVersion + 1, publishedAt, by: meta.author }, buildInWorker);
    await savePublished(this.deps.store, toRecord(snapshot, lexicons));
    this.lastVersion = snapshot.info.version;
    this.snapshot = snapshot;
    this.deps.logger.info({ version: snapshot.info.version, by: meta.author, articles: snapshot.info.articles, buildMs: snapshot.info.buildMs }, 'knowledge base published');
    try {
      this.emit('published', snapshot.info);
    } catch (error) {
      // A listener (e.g. the speech LM rebuild) failing does not undo the publish.
      this.deps.logger.error({ err: error, version: snapshot.info.version }, 'a listener of the knowledge publish failed');
    }
    return snapshot.info;
  }

  /** The current version of every article in force at `at`, each read with its version number. */
  private async activeArticles(at: Date): Promise<PublishedArticle[]> {
    const ids = (await this.articles.list()).map((a) => a.id);
    const active: PublishedArticle[] = [];
    // Read head by head: an article edited or removed since list() is taken as it is now. In
    // chunks with a turn of the event loop between them: a store that answers from memory would
    // otherwise read all 10k in one unbroken run of microtasks.
    for (let start = 0; start < ids.length; start += READ_CHUNK) {
      if (start > 0) await nextTurn();
      const heads = await Promise.all(ids.slice(start, start + READ_CHUNK).map((id) => this.articles.current(id)));
      for (const head of heads) if (head?.article && isActiveAt(head.article, at)) active.push({ article: head.article, version: head.version });
    }
    return active;
  }

  private async currentLexicons(): Promise<Record<ArticleLanguage, PublishedLexicon>> {
    const current = async (language: ArticleLanguage): Promise<PublishedLexicon> => {
      const head = (await this.articles.lexiconHistory(language)).at(-1);
      return head ? { version: head.version, lexicon: head.lexicon } : { version: 0, lexicon: defaultLexiconOf(language) };
    };
    return { 'zh-CN': await current('zh-CN'), en: await current('en') };
  }
}
