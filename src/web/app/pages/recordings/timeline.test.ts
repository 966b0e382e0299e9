import test from 'ava';
import { currentLine, legAnchors, placeLines, positionOf, type TranscriptEntry } from './timeline.ts';

// The call's transcription opened at T; the agent was bridged and the recording began 10 s later.
const T = 1_700_000_000_000;
const recording = { startedAt: T + 10_000, durationSeconds: 30, paused: [] };

test('given transcript finals noted after their audio, when anchored, then each leg starts at the smallest at − endMs, or at its recorded start', (t) => {
  const entries: TranscriptEntry[] = [
    { at: T + 12_700, leg: 'caller', text: 'hello', startMs: 11_000, endMs: 12_000 },
    { at: T + 15_000, leg: 'caller', text: 'my bill', startMs: 13_000, endMs: 14_000 },
    { at: T + 20_800, leg: 'agent', text: 'sure', startMs: 9_000, endMs: 10_000, audioStartedAt: T + 10_000 },
  ];
  t.deepEqual([...legAnchors(entries)].sort(), [['agent', T + 10_000], ['caller', T + 700]]);
});

test('given lines said before, during and after a paused span of the recording, then each is placed in the file or said not to be in it', (t) => {
  const paused = { ...recording, paused: [{ at: T + 20_000, seconds: 5 }] };
  const exact = (startMs: number, endMs: number, text: string): TranscriptEntry => ({ at: T + endMs + 500, leg: 'caller', text, startMs, endMs, audioStartedAt: T });
  const lines = placeLines([exact(2_000, 3_000, 'in the menu'), exact(12_000, 14_000, 'hello'), exact(21_000, 22_000, 'card number'), exact(27_000, 28_000, 'thanks'), exact(60_000, 61_000, 'gone')], paused);
  t.deepEqual(lines.map((l) => [l.text, l.where, l.start]), [['in the menu', 'before', undefined], ['hello', 'in', 2], ['card number', 'paused', undefined], ['thanks', 'in', 12], ['gone', 'after', undefined]]);
  t.is(lines[1]!.end, 4);
  t.deepEqual(positionOf(paused, T + 25_000), { seconds: 10, where: 'in' });
});

test('given placed lines, when playing, then the current line is the last one started', (t) => {
  const lines = placeLines([
    { at: T + 13_000, leg: 'caller', text: 'a', startMs: 11_000, endMs: 12_000, audioStartedAt: T },
    { at: T + 17_000, leg: 'agent', text: 'b', startMs: 15_000, endMs: 16_000, audioStartedAt: T },
  ], recording);
  t.is(currentLine(lines, 0), -1);
  t.is(currentLine(lines, 1.2), 0);
  t.is(currentLine(lines, 4.9), 0);
  t.is(currentLine(lines, 5), 1);
  t.is(currentLine(lines, 29), 1);
});
