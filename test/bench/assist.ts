// Agent assist latency: how soon after a caller stops asking does the agent's screen show the right
// article in its top 3? The target is 1 s.
//   npm run bench -- assist [--sets fixtures,heldOut] [--repeats 1]
//  - audio: the FAQ bench's telephone audio (flite slt → 8 kHz → G.711 µ-law → 16 kHz) of each
//    in-scope question, pushed into a call leg's Transcriber in 20 ms packets on the wall clock, as
//    RTP delivers it (a benchmark may wait on wall time: this is what it measures);
//  - recognizer: what the appliance runs once a knowledge base is published (CallSpeech.expectPhrases:
//    pocketsphinx lm-mix, partials on the knowledge-base LM, the early whole-turn reading on it too);
//  - assist: two AssistServices on the same transcript events, in the same run: `early` as the
//    appliance wires it (the settled partial, i.e. the knowledge-base LM's whole-turn reading, is
//    matched at once), and `finalOnly`, the reference, which ignores it and waits for the final
//    (how assist worked before the early reading existed);
//  - end of speech: the flite audio's last 10 ms frame above −40 dBFS, on the packet clock.
//  - latency: from the end of speech to the first moment the right article is on screen (0 when it
//    already was, from partials, and stayed); "never" when it does not get there.
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock } from '../../src/core/clock.ts';
import { AssistService, type AssistKnowledge, type SuggestionsEvent } from '../../src/knowledge/assist/assist-service.ts';
import { DEFAULT_AGENT_PHRASES, DEFAULT_ESCALATION_PHRASES, phraseMatcher } from '../../src/knowledge/assist/phrases.ts';
import { buildSnapshot, defaultLexiconOf } from '../../src/knowledge/service/snapshot.ts';
import { DEFAULT_POCKETSPHINX_MODEL } from '../../src/speech/pocketsphinx.ts';
import { loadSpeechEngine } from '../../src/speech/session.ts';
import { Transcriber, type TranscriptEvent } from '../../src/speech/transcriber.ts';
import { tempDir } from '../../src/speech/testing/audio-fixtures.ts';
import { parseWav } from '../../src/speech/wav.ts';
import { loadDemoKb, telephoneAudio } from './faq.ts';
import { percentile, round } from './stats.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(repoRoot, 'test/fixtures/faq-questions.json');
const PACKET = 320;  // 20 ms at 16 kHz
const LEAD_MS = 500;  // telephoneAudio's silence before the speech

interface Question { text: string; expected: string | null }

/** Where flite's speech ends (ms into the spoken audio): the last 10 ms frame above −40 dBFS. */
function speechEndMs(text: string, dir: string): number {
  const wav = path.join(dir, 'end.wav');
  execFileSync('flite', ['-voice', 'slt', '-t', text, '-o', wav]);
  const { samples, sampleRate } = parseWav(readFileSync(wav));
  const frame = sampleRate / 100;
  let last = 0;
  for (let at = 0; at + frame <= samples.length; at += frame) {
    let sum = 0;
    for (let k = at; k < at + frame; k++) sum += samples[k]! * samples[k]!;
    if (10 * Math.log10(sum / frame / 32768 ** 2 + 1e-12) > -40) last = at + frame;
  }
  return (last * 1000) / sampleRate;
}

/** When (wall ms) the right article is first on screen and stays, counting from `end`; undefined: never. */
function onScreenAt(pushes: SuggestionsEvent[], expected: string, end: number): number | undefined {
  let since: number | undefined;
  for (const p of pushes) {
    const has = p.suggestions.some((s) => s.articleId === expected);
    if (has && since === undefined) since = Math.max(p.at, end);
    if (!has) since = undefined;
  }
  return since === undefined ? undefined : since - end;
}

const summary = (ms: (number | undefined)[]) => {
  const seen = ms.filter((m): m is number => m !== undefined);
  return {
    shown: `${seen.length}/${ms.length}`, within1s: `${seen.filter((m) => m <= 1000).length}/${ms.length}`,
    p50Ms: Math.round(percentile(seen, 50)), p90Ms: Math.round(percentile(seen, 90)), maxMs: Math.round(Math.max(...seen)),
  };
};

export async function run(argv: string[], progress: (line: string) => void) {
  const { values } = parseArgs({ args: argv, strict: true, options: { sets: { type: 'string', default: 'fixtures,heldOut' }, repeats: { type: 'string', default: '1' } } });
  const fixtures = JSON.parse(await readFile(FIXTURES, 'utf8')) as Record<string, Question[]>;
  const bank: Record<string, Question[]> = { fixtures: fixtures.questions!, heldOut: fixtures.heldOut! };
  const sets = values.sets.split(',');
  for (const s of sets) if (!bank[s]) throw new Error(`unknown set ${s} (sets: ${Object.keys(bank).join(', ')})`);
  const questions = sets.flatMap((set) => bank[set]!.filter((q) => q.expected !== null).map((q) => ({ set, ...q })));

  const all = await loadDemoKb();
  const lexicons = { en: { version: 0, lexicon: defaultLexiconOf('en') }, 'zh-CN': { version: 0, lexicon: defaultLexiconOf('zh-CN') } };
  const snapshot = await buildSnapshot(all.map((article) => ({ article, version: 1 })), lexicons, { version: 1, publishedAt: 0, by: 'bench' });
  const en = snapshot.languages.get('en')!;
  const knowledge: AssistKnowledge = {
    ask(text, language, limit = 3) {
      const r = en.matcher.match(text, { language, limit });
      return { outOfScope: r.outOfScope, matches: r.results.map((m) => ({ article: { id: m.id, title: snapshot.articles.get(m.id)!.article.title }, score: m.score, confidence: m.confidence, matchedTerms: m.explanation.matchedTerms })) };
    },
  };
  const phrases = [...en.questions, ...DEFAULT_AGENT_PHRASES.en, ...DEFAULT_ESCALATION_PHRASES.en];
  progress(`loading pocketsphinx lm-mix with ${phrases.length} phrases (as a published knowledge base teaches it)`);
  const engine = await loadSpeechEngine({ engine: 'pocketsphinx', language: 'en', hmm: path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us'), phrases, phraseSearch: 'lm-mix' });
  const dir = tempDir('deskline-bench-assist-');
  const rows: Record<string, unknown>[] = [];
  const early: (number | undefined)[] = [], finalOnly: (number | undefined)[] = [], finals: number[] = [], settledAfter: number[] = [];
  try {
    for (let repeat = 0; repeat < Number(values.repeats); repeat++) {
      for (const [i, q] of questions.entries()) {
        const audio = telephoneAudio(q.text, dir, 100 + 2 * i + 1000 * repeat);
        const endAudioMs = LEAD_MS + speechEndMs(q.text, dir);
        const services = { early: new AssistService({ knowledge, escalation: phraseMatcher(DEFAULT_ESCALATION_PHRASES), clock: systemClock, note: () => undefined }),
          finalOnly: new AssistService({ knowledge, escalation: phraseMatcher(DEFAULT_ESCALATION_PHRASES), clock: systemClock, note: () => undefined }) };
        const pushes = { early: [] as SuggestionsEvent[], finalOnly: [] as SuggestionsEvent[] };
        services.early.on('suggestions', (e) => pushes.early.push(e));
        services.finalOnly.on('suggestions', (e) => pushes.finalOnly.push(e));
        const events: { at: number; e: TranscriptEvent }[] = [];
        const transcriber = await Transcriber.open(engine, {
          leg: 'caller',
          onEvent: (e) => {
            events.push({ at: Date.now(), e });
            services.early.transcript('call', 'en', e);
            if (!e.settled) services.finalOnly.transcript('call', 'en', e);
          },
        });
        // Packets on the wall clock: packet k (audio [20k, 20k+20) ms) arrives at start + 20(k+1) ms.
        const start = Date.now();
        for (let k = 0; k * PACKET < audio.length; k++) {
          const due = start + (k + 1) * 20;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          transcriber.push(audio.subarray(k * PACKET, (k + 1) * PACKET));
        }
        await transcriber.close();
        await new Promise((r) => setTimeout(r, 50));  // a timer due at the final fires
        const end = start + endAudioMs;
        const finalAt = events.find((x) => x.e.type === 'final' && x.e.text.trim())?.at;
        const settledAt = events.find((x) => x.e.settled)?.at;
        const row = {
          set: q.set, text: q.text, expected: q.expected,
          earlyMs: onScreenAt(pushes.early, q.expected!, end), finalOnlyMs: onScreenAt(pushes.finalOnly, q.expected!, end),
          finalEventMs: finalAt !== undefined ? finalAt - end : undefined, settledEventMs: settledAt !== undefined ? settledAt - end : undefined,
          heard: events.filter((x) => x.e.type === 'final').map((x) => x.e.text).join(' | '),
          earlyReading: events.filter((x) => x.e.settled).map((x) => x.e.text).join(' | '),
          onScreen: pushes.early.at(-1)?.suggestions.map((s) => s.articleId) ?? [],
        };
        rows.push(row);
        early.push(row.earlyMs);
        finalOnly.push(row.finalOnlyMs);
        if (row.finalEventMs !== undefined) finals.push(row.finalEventMs);
        if (row.settledEventMs !== undefined) settledAfter.push(row.settledEventMs);
        progress(`${i + 1}/${questions.length} "${q.text}": ${q.expected} on screen ${row.earlyMs ?? 'never'} ms after the end (final only: ${row.finalOnlyMs ?? 'never'} ms; final event ${row.finalEventMs} ms, early reading ${row.settledEventMs} ms)`);
        services.early.ended('call');
        services.finalOnly.ended('call');
      }
    }
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const e = summary(early), f = summary(finalOnly);
  return {
    target: 'right article in the top 3 within 1000 ms of the end of the question',
    recognizer: engine.description,
    audio: 'flite slt → 8 kHz → G.711 µ-law → 16 kHz, 20 ms packets on the wall clock, one call at a time',
    early: e,
    finalOnly: { ...f, description: 'reference in the same run: assist without the early reading (waits for the final)' },
    ratioP50EarlyToFinalOnly: round(e.p50Ms / f.p50Ms, 3),
    finalEvent: { p50Ms: Math.round(percentile(finals, 50)), maxMs: Math.round(Math.max(...finals)) },
    earlyReadingEvent: { count: `${settledAfter.length}/${rows.length}`, p50Ms: Math.round(percentile(settledAfter, 50)), maxMs: Math.round(Math.max(...settledAfter)) },
    questions: rows,
  };
}
