import test from 'ava';
import type { ArticleInput } from '../base/index.ts';
import { buildInProcess, buildSnapshot } from './snapshot.ts';
import { buildInWorker, SnapshotBuildError, SnapshotWorker } from './snapshot-worker.ts';
import { CHINESE, ENGLISH } from './testing-knowledge.ts';
import { answersOf, DEFAULT_LEXICONS, publishedOf } from './testing-snapshots.ts';

const LEXICONS = DEFAULT_LEXICONS;
const INFO = { version: 1, publishedAt: 0, by: 'test' };

const QUESTIONS: [string, 'en' | 'zh-CN'][] = [
  ['I need to reset the password on my account', 'en'], ['give me my money back', 'en'], ['wear is my pakage', 'en'],
  ['what is the weather like on mars', 'en'], ['refund 退款', 'en'], ['password reset', 'en'],
  ['我的密码忘了', 'zh-CN'], ['退款多久能到账', 'zh-CN'], ['这个月花费为什么这么高', 'zh-CN'], ['火星上的天气怎么样', 'zh-CN'], ['WiFi连不上', 'zh-CN'],
];

test('given the same articles, when built in the worker and in process, then both answer exactly alike in en and zh-CN', async (t) => {
  const published = publishedOf([...ENGLISH, ...CHINESE]);
  const inWorker = await buildSnapshot(published, LEXICONS, INFO, buildInWorker);
  const inProcess = await buildSnapshot(published, LEXICONS, INFO, buildInProcess);
  t.deepEqual(answersOf(inWorker, QUESTIONS), answersOf(inProcess, QUESTIONS));
  t.deepEqual({ ...inWorker.info, buildMs: 0 }, { ...inProcess.info, buildMs: 0 });
  for (const language of ['en', 'zh-CN'] as const) {
    const { buildMs: a, ...fromWorker } = inWorker.languages.get(language)!.matcher.stats();
    const { buildMs: b, ...fromProcess } = inProcess.languages.get(language)!.matcher.stats();
    t.deepEqual(fromWorker, fromProcess);
    t.deepEqual(inWorker.languages.get(language)!.questions, inProcess.languages.get(language)!.questions);
  }
});

test('given training fails in the worker, when building, then the build rejects with the error and its code', async (t) => {
  const [first] = publishedOf(ENGLISH);
  const error = await t.throwsAsync(buildSnapshot([first!, first!], LEXICONS, INFO, buildInWorker), { instanceOf: SnapshotBuildError });
  t.is(error?.code, 'KB_DUPLICATE_ARTICLE');
  t.regex(error!.message, /could not be built: two articles share an id/);
  // The worker survives a failed build.
  t.is((await buildSnapshot(publishedOf(ENGLISH), LEXICONS, INFO, buildInWorker)).info.articles.en, ENGLISH.length);
});

test('given the worker runs out of memory, when building, then the build rejects instead of hanging or crashing', async (t) => {
  const starved = new SnapshotWorker({ resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 } });
  const error = await t.throwsAsync(buildSnapshot(publishedOf(ENGLISH), LEXICONS, INFO, (input) => starved.build(input)), { instanceOf: SnapshotBuildError });
  t.is(error?.code, 'KB_BUILD_FAILED');
  t.regex(error!.message, /could not be built: the snapshot worker (failed|stopped)/);
  await starved.close();
});

test('given the worker is stopped mid-build, when building again, then the first build fails and a fresh worker serves the next', async (t) => {
  const worker = new SnapshotWorker();
  const published = publishedOf([...ENGLISH, ...CHINESE]);
  const first = buildSnapshot(published, LEXICONS, INFO, (input) => worker.build(input));
  await new Promise((resolve) => setTimeout(resolve, 20));
  await worker.close();
  await t.throwsAsync(first, { instanceOf: SnapshotBuildError, message: /stopped/ });
  const second = await buildSnapshot(published, LEXICONS, INFO, (input) => worker.build(input));
  t.deepEqual(second.info.articles, { 'zh-CN': CHINESE.length, en: ENGLISH.length });
  await worker.close();
});

test('given builds asked at once, when they finish, then each gets its own articles', async (t) => {
  const worker = new SnapshotWorker();
  const build = (inputs: ArticleInput[]) => buildSnapshot(publishedOf(inputs), LEXICONS, INFO, (input) => worker.build(input));
  const [english, chinese] = await Promise.all([build(ENGLISH), build(CHINESE)]);
  t.deepEqual([...english.languages.keys()], ['en']);
  t.deepEqual([...chinese.languages.keys()], ['zh-CN']);
  await worker.close();
});
