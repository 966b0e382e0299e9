import test from 'ava';
import { MemoryStore } from '../../store/memory-store.ts';
import type { BatchOperation, Store } from '../../store/store.ts';
import { NOT_PUBLISHED, type PublishInfo } from './knowledge-service.ts';
import { CHINESE, ENGLISH, harness, publishedHarness, START } from './testing-knowledge.ts';

const top = (answer: { matches: { article: { id: string } }[] }) => answer.matches[0]?.article.id;
const day = 86_400_000;

test('given nothing published, when asked, then the answer is out of scope and says why', async (t) => {
  const { service } = await harness();
  await service.articles.putMany(ENGLISH, { author: 'a', at: new Date(START) });
  t.deepEqual(service.ask('how do I reset my password', 'en'), { outOfScope: true, matches: [], ms: 0, warnings: [NOT_PUBLISHED] });
  t.is(service.published(), undefined);
  t.deepEqual(service.questions('en'), []);
  t.is(service.article('refund'), undefined);
});

test('given English articles published, when asked unseen questions, then the right article ranks first with an explanation', async (t) => {
  const { service } = await publishedHarness();
  t.is(top(service.ask('I need to reset the password on my account', 'en')), 'reset-password');
  t.is(top(service.ask('give me my money back for this order', 'en')), 'refund');
  t.is(top(service.ask('someone charged my credit card twice', 'en')), 'billing-charge');
  t.is(top(service.ask('is the shop open on sundays', 'en')), 'opening-hours');
  t.is(top(service.ask('please cancel my monthly subscription', 'en')), 'cancel-subscription');
  t.is(top(service.ask('my parcel still has not arrived', 'en')), 'delivery-status');
  const answer = service.ask('how can I get a refund', 'en');
  t.false(answer.outOfScope);
  t.is(answer.matches.length, 3);
  t.true(answer.matches.every((m, i) => i === 0 || m.score <= answer.matches[i - 1]!.score));
  const best = answer.matches[0]!;
  t.is(best.article.answer, 'Refunds are paid within 14 days.');
  t.true(best.confidence > 0.5 && best.confidence <= 1);
  t.true(best.matchedTerms.includes('refund'));
  t.truthy(best.closestQuestion?.text);
});

test('given Chinese articles published, when asked unseen questions, then the right article ranks first', async (t) => {
  const { service } = await publishedHarness();
  t.is(top(service.ask('我的密码忘了', 'zh-CN')), 'zh-reset-password');
  t.is(top(service.ask('退款多久能到账', 'zh-CN')), 'zh-refund');
  t.is(top(service.ask('话费怎么这么贵', 'zh-CN')), 'zh-phone-bill');
  t.is(top(service.ask('家里宽带网速很慢', 'zh-CN')), 'zh-broadband');
  t.is(top(service.ask('营业厅星期天开门吗', 'zh-CN')), 'zh-opening-hours');
  t.is(top(service.ask('帮我换一个便宜的流量套餐', 'zh-CN')), 'zh-change-plan');
  t.false(service.ask('退款多久能到账', 'zh-CN').outOfScope);
});

test('given both languages published, when asked in one, then only that language answers', async (t) => {
  const { service } = await publishedHarness();
  const answer = service.ask('refund 退款', 'en', 10);
  t.true(answer.matches.length > 0);
  t.true(answer.matches.every((m) => m.article.language === 'en'));
});

test('given questions no article answers, when asked, then the answer is out of scope', async (t) => {
  const { service } = await publishedHarness();
  for (const question of ['what is the weather like on mars', 'who painted the mona lisa', 'how deep is the ocean', 'xyzzy qwerty']) {
    t.true(service.ask(question, 'en').outOfScope, question);
  }
  for (const question of ['火星上的天气怎么样', '熊猫吃什么']) t.true(service.ask(question, 'zh-CN').outOfScope, question);
});

test('given a publish, when it completes, then it reports counts, clock time and author and emits "published"', async (t) => {
  const { service, clock, meta } = await harness();
  await service.articles.putMany([...ENGLISH, ...CHINESE], meta());
  const events: PublishInfo[] = [];
  service.on('published', (info) => events.push(info));
  clock.advance(5_000);
  const info = await service.publish(meta('carol'));
  t.like(info, { version: 1, publishedAt: START + 5_000, by: 'carol', articles: { en: 6, 'zh-CN': 6 } });
  t.true(info.buildMs >= 0);
  t.deepEqual(events, [info]);
  t.deepEqual(service.published(), info);
  t.is((await service.publish(meta('carol'))).version, 2);
});

test('given edits after a publish, when asked, then the published versions answer until the next publish', async (t) => {
  const { service, meta } = await publishedHarness();
  const published = service.article('refund')!;
  await service.articles.put({ ...published, answer: 'Refunds take 30 days now.' }, meta());
  await service.articles.remove('opening-hours', meta());
  t.is(service.article('refund')?.answer, 'Refunds are paid within 14 days.');
  t.is(service.publishedVersion('refund'), 1);
  t.is(top(service.ask('when are you open on sunday', 'en')), 'opening-hours');

  await service.publish(meta());
  t.is(service.article('refund')?.answer, 'Refunds take 30 days now.');
  t.is(service.publishedVersion('refund'), 2);
  t.is(service.article('opening-hours'), undefined);
  t.not(top(service.ask('when are you open on sunday', 'en')), 'opening-hours');
  t.is(service.published()?.articles.en, 5);
});

test('given a published KB and later unpublished edits, when the service restarts, then it serves exactly what was published', async (t) => {
  const { service, meta, reopen } = await publishedHarness();
  const questions = ['how do I get my money back', 'my parcel still has not arrived', 'what is the weather like on mars'];
  const before = questions.map((q) => service.ask(q, 'en'));
  await service.articles.put({ ...service.article('refund')!, answer: 'draft, not published' }, meta());
  await service.articles.remove('delivery-status', meta());

  const restarted = await reopen();
  t.deepEqual(restarted.published(), { ...service.published()!, buildMs: restarted.published()!.buildMs });
  t.is(restarted.article('refund')?.answer, 'Refunds are paid within 14 days.');
  t.truthy(restarted.article('delivery-status'));
  const strip = (answers: typeof before) => answers.map((a) => ({ ...a, ms: 0 }));
  t.deepEqual(strip(questions.map((q) => restarted.ask(q, 'en'))), strip(before));
  t.deepEqual(restarted.questions('zh-CN'), service.questions('zh-CN'));
  t.is((await restarted.publish(meta())).version, 2);
});

test('given articles outside their validity at publish time, when published, then they are left out', async (t) => {
  const { service, meta } = await harness();
  const iso = (ms: number) => new Date(ms).toISOString();
  await service.articles.putMany([
    ENGLISH[0]!,
    { ...ENGLISH[1]!, validUntil: iso(START - day) },
    { ...ENGLISH[2]!, validFrom: iso(START + day) },
    { ...ENGLISH[3]!, validFrom: iso(START - day), validUntil: iso(START + day) },
  ], meta());
  const info = await service.publish(meta());
  t.deepEqual(info.articles, { en: 2, 'zh-CN': 0 });
  t.truthy(service.article('reset-password'));
  t.truthy(service.article('opening-hours'));
  t.is(service.article('refund'), undefined);
  t.is(service.article('billing-charge'), undefined);
});

test('given a language with no articles, when asked in it, then the answer is out of scope and it has no questions', async (t) => {
  const { service, meta } = await harness();
  await service.articles.putMany(ENGLISH, meta());
  await service.publish(meta());
  const answer = service.ask('我要退款', 'zh-CN');
  t.true(answer.outOfScope);
  t.deepEqual(answer.matches, []);
  t.deepEqual(answer.warnings, ['no zh-CN articles are published']);
  t.deepEqual(service.questions('zh-CN'), []);
});

test('given a published KB, when its questions are asked for, then every standard and similar question of that language is listed', async (t) => {
  const { service } = await publishedHarness();
  const expected = CHINESE.flatMap((a) => [a.standardQuestion, ...(a.similarQuestions ?? [])]);
  t.deepEqual([...service.questions('zh-CN')].sort(), [...expected].sort());
  t.false(service.questions('en').some((q) => /\p{Script=Han}/u.test(q)));
});

test('given a lexicon edit, when asked before and after the next publish and after a restart, then only the published lexicon counts', async (t) => {
  const { service, meta, reopen } = await publishedHarness();
  t.true(service.ask('zorblax', 'en').outOfScope);
  const lexicon = await service.articles.getLexicon('en');
  await service.articles.setLexicon('en', { ...lexicon, synonyms: { ...lexicon.synonyms, zorblax: 'refund' } }, meta());
  t.true(service.ask('zorblax', 'en').outOfScope);
  await service.publish(meta());
  t.is(top(service.ask('zorblax', 'en')), 'refund');
  // A later, unpublished edit drops the synonym again: the restart still uses the published one.
  await service.articles.setLexicon('en', lexicon, meta());
  t.is(top((await reopen()).ask('zorblax', 'en')), 'refund');
});

/** A store whose 'knowledge' writes of the publication fail, as on a full disk. */
function failingPublication(inner: Store): Store {
  return {
    close: () => inner.close(),
    section(name) {
      const section = inner.section(name);
      return {
        get: (key) => section.get(key),
        entries: (range) => section.entries(range),
        batch: (ops: BatchOperation[]) => (ops.some((op) => op.key === 'published') ? Promise.reject(new Error('disk full')) : section.batch(ops)),
      };
    },
  };
}

test('given the publication cannot be saved, when publishing, then it fails and the previous snapshot keeps serving', async (t) => {
  const store = new MemoryStore();
  const first = await harness(store);
  await first.service.articles.putMany(ENGLISH, first.meta());
  await first.service.publish(first.meta());
  const failing = await harness(failingPublication(store));
  await failing.service.articles.put({ ...ENGLISH[1]!, answer: 'new answer' }, failing.meta());
  await t.throwsAsync(failing.service.publish(failing.meta()), { message: 'disk full' });
  t.is(failing.service.published()?.version, 1);
  t.is(failing.service.article('refund')?.answer, 'Refunds are paid within 14 days.');
});

test('given a "published" listener that throws, when publishing, then the publish still succeeds', async (t) => {
  const { service, meta } = await harness();
  await service.articles.putMany(ENGLISH, meta());
  service.on('published', () => {
    throw new Error('LM rebuild failed');
  });
  t.is((await service.publish(meta())).version, 1);
  t.truthy(service.article('refund'));
});

test('given two publishes at once, when both finish, then they get consecutive versions and the last one serves', async (t) => {
  const { service, meta } = await harness();
  await service.articles.putMany(ENGLISH, meta());
  const [a, b] = await Promise.all([service.publish(meta('a')), service.publish(meta('b'))]);
  t.deepEqual([a.version, b.version], [1, 2]);
  t.is(service.published()?.by, 'b');
});

test('given an empty knowledge base, when published, then every question is out of scope', async (t) => {
  const { service, meta } = await harness();
  t.deepEqual((await service.publish(meta())).articles, { en: 0, 'zh-CN': 0 });
  t.true(service.ask('refund', 'en').outOfScope);
});

test('given a question heard two ways, when asked with both readings, then the surer reading answers and is named; one reading is a plain ask', async (t) => {
  const { service } = await publishedHarness();
  const garbled = 'i need to reach the pass word on my count';
  const answer = service.askReadings(garbled, ['I need to reset the password on my account'], 'en');
  t.is(top(answer), 'reset-password');
  t.is(answer.heardAs, 'I need to reset the password on my account');
  t.true(answer.matches[0]!.confidence >= (service.ask(garbled, 'en').matches[0]?.confidence ?? 0));
  const single = service.askReadings('how can I get a refund', [], 'en');
  t.deepEqual({ ...single, ms: 0 }, { ...service.ask('how can I get a refund', 'en'), ms: 0, heardAs: 'how can I get a refund' });
  t.is(service.askReadings('', ['', '  '], 'en').warnings[0], 'the question is empty');
  t.is(service.askReadings('refund', 'not an array' as unknown as string[], 'en').heardAs, 'refund');
});
