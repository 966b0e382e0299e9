// A large publish, and the rebuild of it on start-up, must leave the event loop free to answer
// calls: training runs on the snapshot worker. A responsiveness property, not a timing: the
// bound is generous, and the test fails by seconds if training ever runs on the main thread.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.ts';
import { createLogger } from '../../core/logger.ts';
import { LevelStore } from '../../store/level-store.ts';
import { KnowledgeService } from './knowledge-service.ts';
import { buildInProcess, buildSnapshot } from './snapshot.ts';
import { watchEventLoop } from './testing-event-loop.ts';
import { START } from './testing-knowledge.ts';
import { answersOf, DEFAULT_LEXICONS, largeKnowledgeBase, publishedOf } from './testing-snapshots.ts';

const ARTICLES = 3_000;
const MAX_BLOCKED_MS = 250;

/** Where the OS says how long the main thread itself ran, that; else the wall-clock gap (see testing-event-loop.ts). */
const blocked = (seen: { maxGapMs: number; maxBusyMs: number | undefined }) => seen.maxBusyMs ?? seen.maxGapMs;

test('given 3,000 articles, when published and rebuilt on restart, then the event loop keeps turning and the snapshot answers as an in-process build does', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-kb-publish-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = await LevelStore.open(dir);
  t.teardown(() => store.close());
  const deps = { store, clock: new ManualClock(START), logger: createLogger('silent') };
  const inputs = largeKnowledgeBase(ARTICLES, 3);
  const service = await KnowledgeService.open(deps);
  await service.articles.putMany(inputs, { author: 'admin', at: new Date(START) });

  const publishing = watchEventLoop();
  const info = await service.publish({ author: 'admin', at: new Date(START) });
  const published = publishing.stop();
  t.log(`publish of ${ARTICLES} articles: ${info.buildMs} ms of training; longest gap between event-loop turns ${published.maxGapMs} ms (main thread busy ≤ ${published.maxBusyMs ?? '?'} ms)`);
  t.deepEqual(info.articles, { 'zh-CN': ARTICLES / 2, en: ARTICLES / 2 });
  t.true(blocked(published) < MAX_BLOCKED_MS, `the event loop was held ${blocked(published)} ms`);
  t.true(published.turns > 10);

  const reopening = watchEventLoop();
  const restarted = await KnowledgeService.open(deps);
  const reopened = reopening.stop();
  t.log(`rebuild on open: longest gap ${reopened.maxGapMs} ms (main thread busy ≤ ${reopened.maxBusyMs ?? '?'} ms)`);
  t.is(restarted.published()?.version, info.version);
  t.true(blocked(reopened) < MAX_BLOCKED_MS, `the event loop was held ${blocked(reopened)} ms`);

  // The worker-built matchers answer exactly as matchers built here would (a large, sparse model).
  const questions = inputs.filter((_, i) => i % 97 === 0).flatMap((a) => [[`${a.similarQuestions![0]} please`, a.language] as const, [a.title!, a.language] as const]);
  const inProcess = await buildSnapshot(publishedOf(inputs), DEFAULT_LEXICONS, { version: 1, publishedAt: START, by: 'admin' }, buildInProcess);
  const expected = answersOf(inProcess, questions).map((a) => a.results.map((r) => [r.id, r.score, r.confidence]));
  const answered = questions.map(([text, language]) => restarted.ask(text, language, 5).matches.map((m) => [m.article.id, m.score, m.confidence]));
  t.deepEqual(answered, expected);
  t.true(answered.filter((matches, i) => matches[0]?.[0] === inputs[Math.floor(i / 2) * 97]!.id).length > questions.length / 2);
});
