import test from 'ava';
import { readingsOf, surestReading } from './readings.ts';

const answer = (confidence?: number) => ({ matches: confidence === undefined ? [] : [{ confidence }] });

test('given a transcript and the other search\'s reading, then both are tried, the recognizer\'s own first', (t) => {
  t.deepEqual(readingsOf('are you open on that journey', ['are you open on saturday morning']), ['are you open on that journey', 'are you open on saturday morning']);
});

test('given blank, repeated (any case) or too many readings, then they are dropped', (t) => {
  t.deepEqual(readingsOf('Hello there', ['', '  ', 'hello there', 'b', 'c', 'd']), ['Hello there', 'b', 'c']);
  t.deepEqual(readingsOf('', ['only this']), ['only this']);
  t.deepEqual(readingsOf('', []), []);
});

test('given readings matched with different confidence, then the surest wins, and a tie keeps the recognizer\'s choice', (t) => {
  t.is(surestReading([{ text: 'a', answer: answer(0.3) }, { text: 'b', answer: answer(0.9) }]).text, 'b');
  t.is(surestReading([{ text: 'a', answer: answer(0.5) }, { text: 'b', answer: answer(0.5) }]).text, 'a');
  t.is(surestReading([{ text: 'a', answer: answer() }, { text: 'b', answer: answer(0.1) }]).text, 'b');
  t.throws(() => surestReading([]), { instanceOf: RangeError });
});
