// Persisting the published snapshot as references ({id, version} pairs and lexicon versions) in
// the store section 'knowledge', next to the article store's keys (`head:`, `article:`,
// `lexicon-head:`, `lexicon:`), and reading it back from the histories on start-up.
import type { Logger } from '../../core/logger.ts';
import type { Store } from '../../store/store.ts';
import { LANGUAGES, type ArticleLanguage, type ArticleStore } from '../base/index.ts';
import { defaultLexiconOf, PUBLISHED_KEY, type PublishedArticle, type PublishedLexicon, type PublishedRecord } from './snapshot.ts';

const SECTION = 'knowledge';
// Reads per round trip when rebuilding: enough to keep a level store busy, few enough open iterators.
const READ_CHUNK = 64;

export async function savePublished(store: Store, record: PublishedRecord): Promise<void> {
  await store.section(SECTION).batch([{ type: 'put', key: PUBLISHED_KEY, value: record }]);
}

export interface LoadedPublication {
  record: PublishedRecord;
  articles: PublishedArticle[];
  lexicons: Record<ArticleLanguage, PublishedLexicon>;
}

/** The last publication with its exact article and lexicon versions; undefined if none. */
export async function loadPublished(store: Store, articles: ArticleStore, logger: Logger): Promise<LoadedPublication | undefined> {
  const record = await store.section(SECTION).get<PublishedRecord>(PUBLISHED_KEY);
  if (record === undefined) return undefined;
  if (!isRecord(record)) {
    logger.error({ key: PUBLISHED_KEY }, 'the stored knowledge publication is unreadable; nothing is published until the next publish');
    return undefined;
  }
  const found: PublishedArticle[] = [];
  const missing: string[] = [];
  for (let start = 0; start < record.articles.length; start += READ_CHUNK) {
    const chunk = record.articles.slice(start, start + READ_CHUNK);
    const versions = await Promise.all(chunk.map(async ([id, version]) => (await articles.history(id)).find((v) => v.version === version)));
    versions.forEach((v, i) => {
      if (v?.article) found.push({ article: v.article, version: v.version });
      else missing.push(`${chunk[i]![0]}@${chunk[i]![1]}`);
    });
  }
  if (missing.length) logger.error({ missing: missing.slice(0, 20), count: missing.length }, 'published article versions are missing from the history; serving the rest');
  const lexicons = {} as Record<ArticleLanguage, PublishedLexicon>;
  for (const language of LANGUAGES) {
    const version = record.lexicons[language] ?? 0;
    const stored = version > 0 ? (await articles.lexiconHistory(language)).find((v) => v.version === version) : undefined;
    if (version > 0 && !stored) logger.error({ language, version }, 'published lexicon version is missing; using the built-in lexicon');
    lexicons[language] = stored ? { version, lexicon: stored.lexicon } : { version: 0, lexicon: defaultLexiconOf(language) };
  }
  return { record, articles: found, lexicons };
}

function isRecord(value: unknown): value is PublishedRecord {
  const r = value as PublishedRecord;
  return typeof r === 'object' && r !== null && typeof r.info?.version === 'number' && Array.isArray(r.articles) && typeof r.lexicons === 'object' && r.lexicons !== null;
}
