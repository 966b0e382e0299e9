import test from 'ava';
import { createAnalyzer } from '../matcher/analyze.ts';
import { UnmatchedQuestions, type GroupingResult } from './group-questions.ts';

const analyzer = createAnalyzer();

function collect(questions: [text: string, language: 'en' | 'zh-CN'][]): UnmatchedQuestions {
  const collector = new UnmatchedQuestions();
  questions.forEach(([text, language], i) => collector.add({ text, language, at: 1000 + i, matches: [] }));
  return collector;
}

/** A reproducible stream of questions: `topics` subjects, each asked with varied fillers. */
function synthetic(count: number, topics: number, seed = 11): [string, 'en' | 'zh-CN'][] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const subjects = Array.from({ length: topics }, (_, i) => `gadget${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26) % 26)}z`);
  const hanSubjects = Array.from({ length: topics }, (_, i) => String.fromCodePoint(0x4e00 + i * 7, 0x4e03 + i * 7, 0x5000 + i * 5));
  const out: [string, 'en' | 'zh-CN'][] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 2) out.push([`${pick(['我想问', '请问', '怎么', ''])}${pick(hanSubjects)}${pick(['的问题', '怎么办', '在哪里', ''])}`, 'zh-CN']);
    else out.push([`${pick(['how do I fix my', 'where is my', 'help with the', 'a question about', 'what about'])} ${pick(subjects)} ${pick(['', 'today', 'please', 'again', 'right now'])}`, 'en']);
  }
  return out;
}

test('given the same question with other case, punctuation and spacing, when grouped, then it is one wording counted twice', (t) => {
  const { groups } = collect([['Where is my parcel?', 'en'], ['where is my  parcel', 'en'], ['快递到哪了？', 'zh-CN'], ['快递到哪了', 'zh-CN']]).group({ analyzer });
  t.deepEqual(groups.map((g) => g.examples), [[{ text: 'Where is my parcel?', count: 2 }], [{ text: '快递到哪了', count: 2 }]]);
});

test('given questions with only punctuation or nothing, when collected, then they are not questions', (t) => {
  const collector = new UnmatchedQuestions();
  t.false(collector.add({ text: '？？', language: 'zh-CN', at: 1, matches: [] }));
  t.false(collector.add({ text: '', language: 'en', at: 1, matches: [] }));
  t.is(collector.size, 0);
  t.deepEqual(collector.group({ analyzer }).groups, []);
});

test('given Chinese synonyms, when grouped, then variants the matcher treats as one word group together', (t) => {
  const { groups } = collect([['如何退钱', 'zh-CN'], ['怎么退款', 'zh-CN'], ['发票怎么开', 'zh-CN']]).group({ analyzer });
  t.deepEqual(groups.map((g) => g.examples.map((e) => e.text)), [['如何退钱', '怎么退款'], ['发票怎么开']]);
});

test('given a higher threshold, when grouped, then fewer questions join a group', (t) => {
  const questions: [string, 'en'][] = [['change billing address', 'en'], ['how do I change my billing address', 'en'], ['update the address on my bill', 'en']];
  t.true(collect(questions).group({ analyzer, threshold: 0.9 }).groups.length > collect(questions).group({ analyzer }).groups.length);
});

test('given matches on the questions, when grouped, then the articles ranked first most often lead, with their best confidence', (t) => {
  const collector = new UnmatchedQuestions();
  const add = (text: string, matches: { id: string; confidence: number }[]) => collector.add({ text, language: 'en', at: 5, matches });
  add('parcel lost', [{ id: 'lost-parcel', confidence: 0.3 }, { id: 'returns', confidence: 0.2 }]);
  add('parcel lost', [{ id: 'returns', confidence: 0.25 }, { id: 'lost-parcel', confidence: 0.31 }]);
  add('my parcel is lost', [{ id: 'returns', confidence: 0.33 }]);
  add('lost parcel', [{ id: 'b', confidence: 0.1 }, { id: 'a', confidence: 0.1 }, { id: 'c', confidence: 0.05 }, { id: 'd', confidence: 0.01 }]);
  const [group] = collector.group({ analyzer }).groups;
  t.deepEqual(group!.articles, [{ id: 'lost-parcel', top: 2, bestConfidence: 0.31 }, { id: 'returns', top: 1, bestConfidence: 0.33 }, { id: 'a', top: 1, bestConfidence: 0.1 }]);
});

test('given more distinct subjects than the group cap, when grouped, then at most the cap is kept and the rest are counted as ungrouped', (t) => {
  const questions = synthetic(3000, 60);
  const capped = collect(questions).group({ analyzer, maxGroups: 10 });
  t.is(capped.groups.filter((g) => g.language === 'en').length, 10);
  t.is(capped.groups.filter((g) => g.language === 'zh-CN').length, 10);
  t.is(capped.groups.reduce((n, g) => n + g.count, 0) + capped.ungrouped, 3000);
  t.true(capped.ungrouped > 0);
});

test('given 40,000 questions on 300 subjects, when grouped, then each subject is about one group and the work grows linearly, not quadratically', (t) => {
  const run = (count: number, subjects: number): GroupingResult & { distinct: number } => {
    const questions = synthetic(count, subjects);
    const distinct = new Set(questions.map(([q]) => q.trim())).size;
    return { ...collect(questions).group({ analyzer }), distinct };
  };
  const half = run(20_000, 150);
  const full = run(40_000, 300);
  t.log(`distinct ${half.distinct} → ${full.distinct}, groups ${half.groups.length} → ${full.groups.length}, comparisons ${half.comparisons} → ${full.comparisons}`);
  t.is(full.groups.reduce((n, g) => n + g.count, 0), 40_000);
  t.is(full.ungrouped, 0);
  t.true(full.groups.length >= 600 && full.groups.length <= 700, `groups: ${full.groups.length} (300 subjects in two languages)`);
  // Scoring every distinct wording against every group would be distinct × groups (≈ 6 million here).
  t.true(full.comparisons < (full.distinct * full.groups.length) / 4, `comparisons ${full.comparisons}, distinct ${full.distinct}`);
  // Twice the questions, wordings and groups: about twice the work (all-pairs would be four times).
  t.true(full.comparisons / half.comparisons < 3, `${half.comparisons} → ${full.comparisons}`);
});

test('given MaxScore pruning, when grouping, then the groups are exactly those of scoring every candidate, for less work', (t) => {
  const questions: [string, 'en' | 'zh-CN'][] = [
    ...synthetic(6000, 120, 5),
    ['how do I fix my', 'en'], ['how do I fix my gadgetaaz', 'en'], ['where is my', 'en'], ['我想问', 'zh-CN'], ['我想问怎么办', 'zh-CN'],
  ];
  const pruned = collect(questions).group({ analyzer });
  const exhaustive = collect(questions).group({ analyzer, exhaustive: true });
  t.deepEqual(pruned.groups, exhaustive.groups);
  t.true(pruned.comparisons < exhaustive.comparisons, `${pruned.comparisons} vs ${exhaustive.comparisons}`);
});

test('given the same questions in any order, when grouped, then the groups are identical', (t) => {
  const questions = synthetic(2000, 40, 3);
  const reversed = [...questions].reverse();
  const a = collect(questions).group({ analyzer });
  const b = collect(reversed).group({ analyzer });
  const strip = (r: GroupingResult) => r.groups.map(({ lastAt: _, ...g }) => g);
  t.deepEqual(strip(a), strip(b));
});
