// Knowledge-base matcher benchmark (`npm run bench -- kb [--only clinc150Full,scale10k,…]`), on ../shared/datasets:
//  a) CLINC150 (en) full and 10-shot: top-1/top-3 on test.jsonl; out-of-scope recall on
//     oos_test.jsonl with the threshold fitted on val.jsonl + oos_val.jsonl;
//  b) SMP2020-ECDT (zh) full and 10-shot: top-1/top-3 on test.jsonl, calibration on val.jsonl
//     (no out-of-scope data: the threshold targets 5 % in-scope loss on val);
//  c) in the same process the reference TF-IDF nearest-centroid (word unigrams), so the matcher
//     is reported as a ratio to a baseline measured on the same machine and run;
//  d) scale: 10,000 synthetic articles (see synthesiseArticles), build time and query p50/p99,
//     and the same articles published through the knowledge service (training on its worker
//     thread) and rebuilt on open, with the longest gap between event-loop turns meanwhile;
//  e) publish10k: 10,000 articles of 6 questions each through the service, the calibrated path
//     (held-out questions, out-of-scope background) that a real knowledge base takes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import type { ArticleInput } from '../../src/knowledge/base/index.ts';
import { buildMatcher, type Article } from '../../src/knowledge/matcher/index.ts';
import { evaluate, percentile, type EvaluationReport } from '../../src/knowledge/evaluation/evaluate.ts';
import { readLabelled } from '../../src/knowledge/evaluation/jsonl.ts';
import type { Labelled } from '../../src/knowledge/evaluation/centroid-baseline.ts';
import { KnowledgeService } from '../../src/knowledge/service/index.ts';
import { watchEventLoop } from '../../src/knowledge/service/testing-event-loop.ts';
import { LevelStore } from '../../src/store/level-store.ts';
import { round } from './stats.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const datasets = path.resolve(repoRoot, '../shared/datasets');

function summary(r: EvaluationReport) {
  const { stats, ...rest } = r;
  return {
    ...rest,
    vsBaseline: r.baseline ? { top1Ratio: round(r.top1 / r.baseline.top1, 4), top3Ratio: round(r.top3 / r.baseline.top3, 4), top1Gain: round(r.top1 - r.baseline.top1, 4) } : undefined,
    matcher: { vocabulary: stats.vocabulary, parameters: stats.parameters, calibration: stats.calibration, training: stats.training },
  };
}

/**
 * 10k articles from CLINC150's 15,000 training utterances: article i belongs to intent i mod 150
 * and takes 3 of that intent's utterances, a window that moves by 3 for each new article of the
 * intent (so the ~67 articles of one intent share vocabulary, as near-duplicate FAQ entries do).
 * Realistic for cost, not for accuracy: articles of one intent cannot be told apart.
 */
function synthesiseArticles(train: Labelled[], count: number, perArticle = 3): Article[] {
  const byLabel = new Map<string, string[]>();
  for (const t of train) byLabel.set(t.label, [...(byLabel.get(t.label) ?? []), t.text]);
  const labels = [...byLabel.keys()];
  return Array.from({ length: count }, (_, i) => {
    const pool = byLabel.get(labels[i % labels.length]!)!;
    const start = (Math.floor(i / labels.length) * 3) % pool.length;
    return { id: `a${i}:${labels[i % labels.length]}`, language: 'en' as const, questions: Array.from({ length: perArticle }, (_, k) => pool[(start + k) % pool.length]!) };
  });
}

/** The same articles as an author would store them (ids in the same order, made slugs). */
const asInputs = (articles: Article[]): ArticleInput[] => articles.map((a, i) => ({
  id: `a${String(i).padStart(5, '0')}-${a.id.split(':')[1]!.replaceAll('_', '-')}`, language: a.language, title: a.questions[0]!,
  standardQuestion: a.questions[0]!, similarQuestions: a.questions.slice(1), answer: 'synthetic', author: 'bench',
}));

/**
 * Publish through the service on a level store in a temporary folder, then open the service
 * again (the rebuild a restart does), watching the event loop both times. maxMainThreadBusyMs:
 * the main thread's own CPU time in the longest stretch between two turns (Linux schedstat); the
 * wall-clock gap also counts time the OS ran other processes.
 */
async function publishThroughService(articles: Article[], progress: (line: string) => void) {
  const dir = await mkdtemp(path.join(tmpdir(), 'deskline-bench-kb-'));
  const store = await LevelStore.open(dir);
  try {
    const deps = { store, clock: systemClock, logger: createLogger('silent') };
    const service = await KnowledgeService.open(deps);
    await service.articles.putMany(asInputs(articles), service.editMeta('bench'));
    progress(`publishing ${articles.length} articles through the service…`);
    let watch = watchEventLoop();
    let t0 = performance.now();
    const info = await service.publish(service.editMeta('bench'));
    const publishMs = performance.now() - t0;
    const publishing = watch.stop();
    progress(`opening the service again (rebuild of the published snapshot)…`);
    watch = watchEventLoop();
    t0 = performance.now();
    const reopened = await KnowledgeService.open(deps);
    const openMs = performance.now() - t0;
    const opening = watch.stop();
    return {
      publishMs: Math.round(publishMs), trainingMs: Math.round(info.buildMs), maxEventLoopGapMs: publishing.maxGapMs, maxMainThreadBusyMs: publishing.maxBusyMs,
      openMs: Math.round(openMs), openMaxEventLoopGapMs: opening.maxGapMs, openMaxMainThreadBusyMs: opening.maxBusyMs,
      reopenedVersion: reopened.published()?.version ?? null,
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(argv: string[], progress: (line: string) => void) {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string' } }, strict: true });
  const clinc = (f: string) => readLabelled(path.join(datasets, 'clinc150', f));
  const smp = (f: string) => readLabelled(path.join(datasets, 'smp2020_ecdt', f));
  const [cTrain, cTen, cVal, cTest, cOosVal, cOosTest] = await Promise.all(['train.jsonl', 'train_10shot_seed0.jsonl', 'val.jsonl', 'test.jsonl', 'oos_val.jsonl', 'oos_test.jsonl'].map(clinc));
  const [sTrain, sTen, sVal, sTest] = await Promise.all(['train.jsonl', 'train_10shot_seed0.jsonl', 'val.jsonl', 'test.jsonl'].map(smp));
  const clincCommon = { validation: cVal!, test: cTest!, outOfScopeValidation: cOosVal!.map((x) => x.text), outOfScopeTest: cOosTest!.map((x) => x.text), language: 'en' as const, withBaseline: true };
  const smpCommon = { validation: sVal!, test: sTest!, language: 'zh-CN' as const, withBaseline: true };
  const results: Record<string, unknown> = { datasets };
  const wanted = (name: string) => !values.only || values.only.split(',').includes(name);
  const section = (name: string, fn: () => EvaluationReport) => {
    if (!wanted(name)) return;
    progress(`${name}…`);
    const r = fn();
    progress(`${name}: top1 ${r.top1} (baseline ${r.baseline?.top1}), top3 ${r.top3}, oosRecall ${r.oosRecall}, inScopeLoss ${r.inScopeLoss}, build ${r.buildMs} ms, p99 ${r.p99Ms} ms`);
    results[name] = summary(r);
  };
  section('clinc150Full', () => evaluate({ ...clincCommon, train: cTrain! }, progress));
  section('clinc150TenShot', () => evaluate({ ...clincCommon, train: cTen! }, progress));
  section('smp2020Full', () => evaluate({ ...smpCommon, train: sTrain! }, progress));
  section('smp2020TenShot', () => evaluate({ ...smpCommon, train: sTen! }, progress));

  if (wanted('scale10k')) {
    const articles = synthesiseArticles(cTrain!, 10_000);
    progress('scale: building 10,000 articles…');
    const t0 = performance.now();
    // Calibration is fixed here: this part measures cost, and fitting would train twice.
    const matcher = buildMatcher(articles, { calibration: { knnWeight: 0, temperature: 1, threshold: 0.5 } });
    const buildMs = performance.now() - t0;
    const queries = cTest!.filter((_, i) => i % 3 === 0);
    const latencies: number[] = [];
    let intentTop1 = 0;
    for (const q of queries) {
      const s = performance.now();
      const r = matcher.match(q.text, { language: 'en', limit: 3 });
      latencies.push(performance.now() - s);
      if (r.results[0]?.id.split(':')[1] === q.label) intentTop1++;
    }
    const stats = matcher.stats();
    results.scale10k = {
      articles: articles.length, questions: stats.questions, vocabulary: stats.vocabulary, parameters: stats.parameters, buildMs: Math.round(buildMs),
      queries: queries.length, p50Ms: round(percentile(latencies, 50), 3), p99Ms: round(percentile(latencies, 99), 3), maxMs: round(Math.max(...latencies), 3),
      // The trained matcher lives in typed arrays, outside the JS heap: both figures count.
      heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20), arrayBuffersMiB: Math.round(process.memoryUsage().arrayBuffers / 2 ** 20),
      intentTop1: round(intentTop1 / queries.length, 4),
      how: '10,000 articles, article i = intent (i mod 150) of CLINC150 train with 3 of its utterances (window moving by 3); queries: every 3rd CLINC150 test utterance; intentTop1 = top article belongs to the right intent',
    };
    progress(`scale: build ${Math.round(buildMs)} ms, p50 ${round(percentile(latencies, 50), 3)} ms, p99 ${round(percentile(latencies, 99), 3)} ms`);
    const service = await publishThroughService(articles, progress);
    Object.assign(results.scale10k as object, { service, serviceHow: 'the same articles stored (level store) and published through KnowledgeService (calibration from held-out questions: none, articles have 3 questions), then KnowledgeService.open again; gaps: longest time between event-loop turns' });
    progress(`scale: publish ${service.publishMs} ms (max event-loop gap ${service.maxEventLoopGapMs} ms), open ${service.openMs} ms (max gap ${service.openMaxEventLoopGapMs} ms)`);
  }

  if (wanted('publish10k')) {
    const articles = synthesiseArticles(cTrain!, 10_000, 6);
    const service = await publishThroughService(articles, progress);
    results.publish10k = {
      articles: articles.length, questions: articles.length * 6, ...service,
      how: '10,000 articles, article i = intent (i mod 150) of CLINC150 train with 6 of its utterances (window moving by 3), published through KnowledgeService on a level store (held-out calibration and out-of-scope background, as a real KB), then KnowledgeService.open again',
    };
    progress(`publish10k: publish ${service.publishMs} ms (max event-loop gap ${service.maxEventLoopGapMs} ms), open ${service.openMs} ms (max gap ${service.openMaxEventLoopGapMs} ms)`);
  }
  return results;
}
