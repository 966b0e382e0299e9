import test from 'ava';
import { SuggestionTracker, type Suggestion } from './suggestion-tracker.ts';

const s = (articleId: string, confidence: number): Suggestion => ({ articleId, title: articleId, score: confidence, confidence, matchedTerms: [] });

test('given partials every 100 ms, when the caller talks, then at most one match per debounce period is due, and a final is due at once', (t) => {
  const tracker = new SuggestionTracker();
  t.deepEqual(tracker.heard({ type: 'partial', text: 'i want' }, 1000), { due: 1000 });
  t.like(tracker.take(1000), { text: 'i want', final: false });
  t.deepEqual(tracker.heard({ type: 'partial', text: 'i want to' }, 1100), { due: 1400 });
  t.is(tracker.heard({ type: 'partial', text: 'i want to pay' }, 1200), undefined, 'already due at 1400: no second timer');
  t.like(tracker.take(1400), { text: 'i want to pay', final: false }, 'the newest partial is matched');
  t.deepEqual(tracker.heard({ type: 'final', text: 'i want to pay my bill' }, 1500), { due: 1500 });
  t.like(tracker.take(1500), { text: 'i want to pay my bill', final: true });
  t.is(tracker.take(1800), undefined, 'nothing left for a stale timer');
});

test('given a short next turn, when it is matched, then the previous question is kept as context', (t) => {
  const tracker = new SuggestionTracker();
  tracker.heard({ type: 'final', text: 'my internet is really slow' }, 0);
  tracker.take(0);
  tracker.heard({ type: 'final', text: 'since monday' }, 5000);
  t.like(tracker.take(5000), { text: 'my internet is really slow since monday' });
});

test('given suggestions on screen, when a partial only reorders the runners-up or leads weakly, then nothing is pushed; a clear lead or a final pushes', (t) => {
  const tracker = new SuggestionTracker();
  t.deepEqual(tracker.ranked([s('billing', 0.6), s('payment', 0.3), s('refund', 0.2)], false)?.map((x) => x.articleId), ['billing', 'payment', 'refund']);
  t.is(tracker.ranked([s('billing', 0.6), s('refund', 0.35), s('payment', 0.3)], false), undefined, 'runners-up swapped');
  t.is(tracker.ranked([s('payment', 0.5), s('billing', 0.45), s('refund', 0.2)], false), undefined, 'new first leads by 0.05 only');
  t.deepEqual(tracker.ranked([s('payment', 0.7), s('billing', 0.2), s('refund', 0.2)], false)?.[0]?.articleId, 'payment', 'clear lead');
  t.deepEqual(tracker.ranked([s('router', 0.4), s('payment', 0.39), s('refund', 0.2)], true)?.[0]?.articleId, 'router', 'a final decides');
  t.deepEqual(tracker.current().map((x) => x.articleId), ['router', 'payment', 'refund']);
});

test('given only weak results, when ranked, then the shown list stays', (t) => {
  const tracker = new SuggestionTracker();
  tracker.ranked([s('billing', 0.6)], true);
  t.is(tracker.ranked([s('router', 0.02), s('refund', 0.01)], true), undefined);
  t.deepEqual(tracker.current().map((x) => x.articleId), ['billing']);
  t.is(tracker.heard({ type: 'partial', text: '   ' }, 0), undefined, 'empty partials are ignored');
});
