// Wiring only: the knowledge capability on a running appliance. The published knowledge base
// answers the FAQ bot (as the flows' knowledge lookup), feeds agent assist from live transcripts,
// and, when published, teaches the speech engines its questions (the domain language model).
import { access, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { KnowledgeHit, KnowledgeResult } from '../ivr/ivr-types.ts';
import type { KnowledgeLookup } from '../calls/outside-effects.ts';
import type { Store } from '../store/store.ts';
import { formatIssue, importArticles, readMarkdownFolder, type ArticleLanguage, type ImportSource } from './base/index.ts';
import { AssistService } from './assist/assist-service.ts';
import { DEFAULT_AGENT_PHRASES, DEFAULT_ESCALATION_PHRASES, phraseMatcher, phraseSetOf } from './assist/phrases.ts';
import { KnowledgeService, type KnowledgeMatch } from './service/index.ts';

export interface KnowledgeSettings {
  importOnStart: string;
  /** Recorded answers: host folder, and the same folder as Asterisk sees it. */
  audio: { hostDir: string; asteriskDir: string };
  /** A site's own phrases (any language); default: the built-in sets. */
  escalationPhrases?: string[];
  agentPhrases?: string[];
  assistDebounceMs: number;
}

/** What the knowledge module needs from speech: engines that can learn phrases. */
export interface PhraseLearner {
  languages(): string[];
  expectPhrases(language: string, phrases: string[]): Promise<{ description: string; unknownWords: string[] }>;
}

export interface KnowledgeModule {
  service: KnowledgeService;
  assist: AssistService;
  lookup: KnowledgeLookup;
  /** Resolves when the speech engines use the phrases of the last publish. */
  speechReady(): Promise<void>;
}

const exists = (path: string) => access(path).then(() => true, () => false);

async function importSourceOf(path: string): Promise<ImportSource> {
  if ((await stat(path)).isDirectory()) return { format: 'markdown', files: await readMarkdownFolder(path) };
  const data = await readFile(path);
  return extname(path).toLowerCase() === '.csv' ? { format: 'csv', data } : { format: 'json', data };
}

export async function startKnowledge(deps: {
  settings: KnowledgeSettings;
  store: Store;
  clock: Clock;
  logger: Logger;
  speech?: PhraseLearner;
  /** Adds an entry to a call's record. */
  note(callId: string, entry: Record<string, unknown> & { type: string }): void;
}): Promise<KnowledgeModule> {
  const { settings, logger } = deps;
  const log = logger.child({ capability: 'knowledge' });
  const service = await KnowledgeService.open({ store: deps.store, clock: deps.clock, logger: log });
  const escalationPhrases = settings.escalationPhrases ? phraseSetOf(settings.escalationPhrases) : DEFAULT_ESCALATION_PHRASES;
  const agentPhrases = settings.agentPhrases ? phraseSetOf(settings.agentPhrases) : DEFAULT_AGENT_PHRASES;
  const escalation = phraseMatcher(escalationPhrases);
  const askedAgent = phraseMatcher(agentPhrases);

  if (settings.importOnStart && !(await service.articles.list()).length) {
    const source = await importSourceOf(resolve(settings.importOnStart));
    const result = await importArticles(service.articles, source, service.editMeta('site-file'));
    if (!result.ok) throw new Error(`knowledge.importOnStart: ${settings.importOnStart} was not imported:\n${result.issues.slice(0, 20).map(formatIssue).join('\n')}`);
    const info = await service.publish(service.editMeta('site-file'));
    log.info({ file: settings.importOnStart, articles: info.articles }, 'knowledge base imported and published from the site file');
  }

  // The recognizer learns the published questions, plus what callers say to the bot itself.
  let speechUpdate: Promise<void> = Promise.resolve();
  const teachSpeech = () => {
    const speech = deps.speech;
    if (!speech) return;
    speechUpdate = speechUpdate.then(async () => {
      for (const language of speech.languages()) {
        const questions = service.questions(language as ArticleLanguage);
        if (!questions.length) continue;
        const lang = language as ArticleLanguage;
        const phrases = [...questions, ...(agentPhrases[lang] ?? []), ...(escalationPhrases[lang] ?? [])];
        try {
          const { description, unknownWords } = await speech.expectPhrases(language, phrases);
          log.info({ language, engine: description }, 'speech engine now expects the published knowledge base');
          if (unknownWords.length) log.warn({ language, unknownWords }, 'questions with words the recognizer cannot pronounce were left out of its language model: reword them');
        } catch (error) {
          log.error({ err: error, language }, 'speech engine could not learn the published knowledge base; it keeps its previous phrases');
        }
      }
    });
  };
  service.on('published', teachSpeech);
  if (service.published()) teachSpeech();

  const answerOf = async (match: KnowledgeMatch, language: string): Promise<KnowledgeHit> => {
    const recorded = match.article.answerAudio?.[language as ArticleLanguage];
    const file = recorded ? join(settings.audio.hostDir, recorded) : undefined;
    const base = file?.replace(/\.(wav|gsm|ulaw|sln16?)$/i, '');
    // A recording that is not (or no longer) on disk must not leave the caller in silence.
    const answer = file && base && (await exists(file))
      ? [{ sound: join(settings.audio.asteriskDir, relative(settings.audio.hostDir, base)) }]
      : [{ tts: match.article.answer }];
    return { id: match.article.id, title: match.article.title, confidence: match.confidence, answer };
  };

  const lookup: KnowledgeLookup = {
    async answer(text, language, limit, alternatives = []): Promise<KnowledgeResult> {
      const found = service.askReadings(text, alternatives, language as ArticleLanguage, limit);
      const matches = await Promise.all(found.matches.map((m) => answerOf(m, language)));
      // Phrases only on the recognizer's own reading: the knowledge-base LM alone hears "agent"
      // and "complaint" (its phrases) in audio that did not say them (bench faq).
      const phrase = escalation.find(text, language);
      return {
        matches, outOfScope: found.outOfScope, askedAgent: askedAgent.find(text, language) !== undefined, ...(phrase ? { escalation: phrase } : {}),
        ...(found.heardAs !== text ? { heardAs: found.heardAs } : {}),
      };
    },
  };

  const assist = new AssistService({
    knowledge: service,
    escalation,
    clock: deps.clock,
    note: deps.note,
    tracker: { debounceMs: settings.assistDebounceMs },
  });
  assist.on('escalation', (e) => log.warn({ callId: e.callId, phrase: e.phrase, leg: e.leg }, 'escalation phrase heard: supervisors alerted'));

  return { service, assist, lookup, speechReady: () => speechUpdate };
}
