// Voice FAQ bot benchmark: do callers' spoken questions, over telephone audio, reach the right
// article of the demo knowledge base (firmware-config/examples/knowledge/demo-kb.json)?
//   npm run bench -- faq [--dev] [--sets fixtures,standard,heldOut,development] [--only kb,generic,…]
//                        [--fixture-repeats 3] [--filler-per-intent 2,5] [--mix 0.9,0.8]
//  - questions (test/fixtures/faq-questions.json): the 10 end-to-end fixtures (8 in scope, 2 out of
//    scope; repeated with different line noise), the standard question of every English article,
//    20 held-out phrasings, and with --dev the development phrasings the knowledge base was tuned on;
//  - audio: flite (slt) → 8 kHz → G.711 µ-law → decoded → Deskline's 8→16 kHz resampler, as a
//    PSTN/SIP call delivers it; one fresh decoder per question (as per call), turns endpointed with
//    the Transcriber's VAD settings and decoded whole;
//  - the bot as the appliance wires it: the English matcher of a published snapshot (buildSnapshot:
//    default lexicon, threshold fitted with the out-of-scope background), escalation and agent
//    phrases hand off (knowledge-module), an answer needs the matcher not to say out of scope
//    (faq-bot, no minConfidence). A decision is right when an in-scope question is answered with the
//    expected article, and when an out-of-scope one is not answered;
//  - recognizer, in the same run (LM phrases as knowledge-module teaches them: the published
//    questions + the default agent and escalation phrases):
//      kb-mix@W           phraseSearch 'lm-mix': the domain trigram LM mixed at run time with
//                         Debian's generic en-us LM, weights W / 1-W (0.8 is what the appliance runs);
//                         lm-mix also decodes each turn with the domain LM alone, and the bot keeps
//                         the reading it matches surer (`ownReadingOnly`: the mix's reading alone);
//      kb-mix@0.8-default-beams  the same search without lm-mix's narrower beams;
//      kb                 the domain trigram LM alone (what the appliance ran before lm-mix);
//      kb+fillerN         kb plus N CLINC150 training sentences per intent, so that out-of-scope
//                         speech need not come out as knowledge-base words;
//      kb+fillerN-blind   without the weather/food/restaurant/shopping intents: does a gain
//                         depend on the filler covering the out-of-scope questions' topics?
//      generic            Debian's generic en-us LM alone (reference).
// The original text through the same bot is the ceiling. Filler: the first N CLINC150 training
// utterances of each intent whose words all have a pronunciation (../shared/datasets, CC BY 3.0).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatIssue, parseArticles, type Article } from '../../src/knowledge/base/index.ts';
import { buildSnapshot, defaultLexiconOf } from '../../src/knowledge/service/snapshot.ts';
import { readingsOf, surestReading } from '../../src/knowledge/service/readings.ts';
import { DEFAULT_AGENT_PHRASES, DEFAULT_ESCALATION_PHRASES, phraseMatcher, type PhraseMatcher } from '../../src/knowledge/assist/phrases.ts';
import type { Matcher } from '../../src/knowledge/matcher/index.ts';
import { readLabelled } from '../../src/knowledge/evaluation/jsonl.ts';
import { TranscriptionSession, loadSpeechEngine, pocketsphinxTurns, type EngineLease, type SpeechEngine, type SttEvent } from '../../src/speech/session.ts';
import { DEFAULT_POCKETSPHINX_MODEL, PocketsphinxDecoder } from '../../src/speech/pocketsphinx.ts';
import { Upsampler8to16, decodeG711, encodeG711 } from '../../src/speech/dsp.ts';
import { buildDomainModel, loadDictionary, tokenize, type Pronunciations } from '../../src/speech/language-model.ts';
import { concat, noise, tempDir } from '../../src/speech/testing/audio-fixtures.ts';
import { parseWav } from '../../src/speech/wav.ts';
import { round } from './stats.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const KB_FILE = path.join(repoRoot, 'firmware-config/examples/knowledge/demo-kb.json');
const FIXTURES = path.join(repoRoot, 'test/fixtures/faq-questions.json');
const CLINC_TRAIN = path.resolve(repoRoot, '../shared/datasets/clinc150/train.jsonl');
const HMM = path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us');
const CMUDICT = path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict');
const GENERIC_LM = path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us.lm.bin');

/** CLINC150 intents about weather, food, restaurants and shopping: left out of the "blind" filler. */
const BLIND_EXCLUDES = new Set(['weather', 'meal_suggestion', 'recipe', 'restaurant_reservation', 'restaurant_reviews', 'restaurant_suggestion', 'cook_time',
  'ingredients_list', 'ingredient_substitution', 'food_last', 'calories', 'nutrition_info', 'order', 'order_status', 'shopping_list', 'shopping_list_update',
  'accept_reservations', 'confirm_reservation', 'cancel_reservation', 'how_busy', 'travel_suggestion']);

type SetName = 'fixtures' | 'standard' | 'heldOut' | 'development';
interface Question { text: string; expected: string | null }
interface Fixtures { questions: Question[]; heldOut: Question[]; development: Question[] }
interface Item extends Question { set: SetName; repeat: number; audio: Int16Array; audioMs: number }
type Outcome = 'answered' | 'low-confidence' | 'escalation' | 'asked-agent';
interface Verdict { top: { id: string; confidence: number }[]; outOfScope: boolean; outcome: Outcome; top1: boolean; top3: boolean; decision: boolean }
interface Bot { matcher: Matcher; escalation: PhraseMatcher; askedAgent: PhraseMatcher }

/** The knowledge base through the real import parser. */
export async function loadDemoKb(file = KB_FILE): Promise<Article[]> {
  const parsed = await parseArticles({ format: 'json', data: await readFile(file) });
  if (!parsed.ok) throw new Error(`${file}:\n${parsed.issues.map(formatIssue).join('\n')}`);
  return parsed.articles;
}

/**
 * What the FAQ bot decides on a transcript (knowledge-module lookup + faq-bot node without
 * minConfidence): every reading matched, the surest kept; phrases on the recognizer's own reading.
 */
function judge(bot: Bot, text: string, expected: string | null, alternatives: string[] = []): Verdict {
  const readings = readingsOf(text, alternatives);
  const { answer: r } = surestReading((readings.length ? readings : [text]).map((reading) => {
    const answer = bot.matcher.match(reading, { language: 'en', limit: 3 });
    return { text: reading, answer: { ...answer, matches: answer.results } };
  }));
  const top = r.results.map((x) => ({ id: x.id, confidence: x.confidence }));
  const outcome: Outcome = bot.escalation.find(text, 'en') ? 'escalation' : bot.askedAgent.find(text, 'en') ? 'asked-agent'
    : !r.outOfScope && top.length > 0 ? 'answered' : 'low-confidence';
  return {
    top, outOfScope: r.outOfScope, outcome,
    top1: expected !== null && top[0]?.id === expected,
    top3: expected !== null && top.some((t) => t.id === expected),
    decision: expected === null ? outcome !== 'answered' : outcome === 'answered' && top[0]!.id === expected,
  };
}

/** Word-level edit distance. */
function editDistance(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[hyp.length]!;
}

/** The first `perIntent` CLINC150 training utterances of each intent whose words all have a pronunciation. */
async function fillerSentences(dictionary: Pronunciations, perIntent: number, exclude: Set<string>): Promise<string[]> {
  const taken = new Map<string, number>();
  const out: string[] = [];
  for (const { text, label } of await readLabelled(CLINC_TRAIN)) {
    if (exclude.has(label) || (taken.get(label) ?? 0) >= perIntent) continue;
    const words = tokenize(text);
    if (words.length === 0 || !words.every((w) => dictionary.has(w))) continue;
    taken.set(label, (taken.get(label) ?? 0) + 1);
    out.push(text);
  }
  return out;
}

/**
 * flite slt → 8 kHz (sox -R: its dither repeatable, so a run can be repeated exactly), 0.5 s before
 * and 1 s after, quiet line noise (−60 dBFS) over all of it (`seed`: repeats differ only in it),
 * G.711 µ-law there and back, 8→16 kHz.
 */
export function telephoneAudio(text: string, dir: string, seed: number): Int16Array {
  const raw = path.join(dir, `q${seed}.wav`), narrow = path.join(dir, `q${seed}-8k.wav`);
  execFileSync('flite', ['-voice', 'slt', '-t', text, '-o', raw]);
  execFileSync('sox', ['-R', raw, '-r', '8000', '-b', '16', '-c', '1', '-e', 'signed-integer', narrow]);
  const speech = parseWav(readFileSync(narrow)).samples;
  const line = concat(new Int16Array(4000), speech, new Int16Array(8000));
  const hiss = noise(line.length / 8, 8000, 30, seed);
  for (let k = 0; k < line.length; k++) line[k] = Math.max(-32768, Math.min(32767, line[k]! + hiss[k]!));
  return new Upsampler8to16().process(decodeG711('ulaw', encodeG711('ulaw', line)));
}

/** One question on a fresh decoder (a reused one carries state over from its last turn), VAD as the Transcriber's; every turn's final, joined. */
async function transcribe(engine: Pick<SpeechEngine, 'open'>, audio: Int16Array) {
  const lease: EngineLease = await engine.open({ partials: false });
  try {
    // No speculative decode: it gives the same text, only earlier.
    const session = new TranscriptionSession(lease.turns, { vad: { hangoverMs: 220, startMs: 60, maxUtteranceMs: 30_000 }, speculateAfterMs: Number.POSITIVE_INFINITY });
    const finals: { text: string; alternative?: string }[] = [];
    const t0 = process.cpuUsage();
    const take = (events: SttEvent[]) => {
      for (const e of events) if (e.type === 'final') finals.push({ text: e.text, ...(e.alternatives?.[0] !== undefined ? { alternative: e.alternatives[0] } : {}) });
    };
    for (let at = 0; at < audio.length; at += 320) take(await session.push(audio.subarray(at, at + 320)));
    take(await session.end());
    // Process CPU: includes the alternative search's decoder thread.
    const cpu = process.cpuUsage(t0);
    const joined = (of: (f: { text: string; alternative?: string }) => string) => finals.map(of).filter(Boolean).join(' ');
    // As SpeechGather joins the turns of one answer: a turn without another reading keeps its text.
    const alternative = finals.some((f) => f.alternative !== undefined) ? joined((f) => f.alternative ?? f.text) : undefined;
    return { text: joined((f) => f.text), alternatives: alternative !== undefined ? [alternative] : [], turns: finals.length, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    lease.release();
  }
}

/**
 * The lm-mix search with pocketsphinx's default beams, decoders made as loadSpeechEngine makes them:
 * lm-mix narrows the beams (-maxhmmpf 3000 -maxwpf 10) for speed; this shows what that costs.
 */
async function defaultBeamMix(phrases: string[], dictionary: Pronunciations, weight: number, dir: string): Promise<Pick<SpeechEngine, 'open' | 'close'>> {
  const arpa = path.join(dir, `domain-${weight}.arpa`);
  const domain = buildDomainModel({ phrases, dictionary });
  await writeFile(arpa, domain.arpa);
  const domainDict = path.join(dir, `domain-${weight}.dict`);
  await writeFile(domainDict, domain.dictionaryText);
  const search = { kind: 'lmMix' as const, paths: [arpa, GENERIC_LM], weights: [weight, round(1 - weight, 4)] };
  return {
    async open() {
      const whole = await PocketsphinxDecoder.create({ hmm: HMM, dict: CMUDICT, searches: { main: search }, args: { '-remove_silence': 'no' } });
      // The knowledge-base LM's reading beside it, as loadSpeechEngine's lm-mix has.
      const alternative = await PocketsphinxDecoder.create({ hmm: HMM, dict: domainDict, searches: { main: { kind: 'lm', path: arpa } }, args: { '-remove_silence': 'no' } });
      return { turns: pocketsphinxTurns(whole, undefined, alternative), release: () => (whole.free(), alternative.free()) };
    },
    close: () => undefined,
  };
}

interface Scored { set: SetName; repeat: number; expected: string | null; verdict: Verdict; errors?: number; refWords?: number }

function summarize(rows: Scored[]) {
  const inScope = rows.filter((r) => r.expected !== null), oos = rows.filter((r) => r.expected === null);
  const share = (n: number, of: number) => (of ? round(n / of, 4) : null);
  const top1 = inScope.filter((r) => r.verdict.top1).length, top3 = inScope.filter((r) => r.verdict.top3).length;
  const answeredRight = inScope.filter((r) => r.verdict.decision).length, rejected = oos.filter((r) => r.verdict.decision).length;
  const refWords = rows.reduce((n, r) => n + (r.refWords ?? 0), 0);
  return {
    questions: rows.length,
    top1: share(top1, inScope.length), top3: share(top3, inScope.length), top1Count: `${top1}/${inScope.length}`, top3Count: `${top3}/${inScope.length}`,
    /** in scope: answered, with the expected article */
    answeredCorrectly: `${answeredRight}/${inScope.length}`,
    inScopeNotAnswered: inScope.filter((r) => r.verdict.outcome !== 'answered').length,
    outOfScopeHandedOff: `${rejected}/${oos.length}`,
    botDecisionsCorrect: `${answeredRight + rejected}/${rows.length}`,
    ...(refWords ? { wer: round(rows.reduce((n, r) => n + (r.errors ?? 0), 0) / refWords, 4) } : {}),
  };
}

/** Per set (the fixtures over all their repeats), and "all": every question not tuned on, once (first repeat, no development set). */
function bySet(rows: Scored[], sets: SetName[]) {
  const out: Record<string, ReturnType<typeof summarize>> = {};
  for (const s of sets) out[s] = summarize(rows.filter((r) => r.set === s));
  out.all = summarize(rows.filter((r) => r.repeat === 0 && r.set !== 'development'));
  return out;
}

const perRepeat = (rows: Scored[]) => {
  const fx = rows.filter((r) => r.set === 'fixtures');
  return [...new Set(fx.map((r) => r.repeat))].map((k) => summarize(fx.filter((r) => r.repeat === k)).botDecisionsCorrect);
};

const said = (v: Verdict) => `${v.top[0] ? `${v.top[0].id} ${v.top[0].confidence}` : 'nothing'}${v.outcome === 'answered' ? '' : ` (${v.outcome})`}`;

export async function run(argv: string[], progress: (line: string) => void) {
  const { values } = parseArgs({ args: argv, strict: true, options: {
    dev: { type: 'boolean', default: false }, sets: { type: 'string' }, only: { type: 'string' }, 'fixture-repeats': { type: 'string', default: '3' },
    'filler-per-intent': { type: 'string', default: '2,5' }, mix: { type: 'string', default: '0.9,0.8' },
  } });
  const all = await loadDemoKb();
  const articles = all.filter((a) => a.language === 'en');
  const fixtures = JSON.parse(await readFile(FIXTURES, 'utf8')) as Fixtures;
  // Published as the appliance publishes: both languages, default lexicons, out-of-scope background.
  const lexicons = { en: { version: 0, lexicon: defaultLexiconOf('en') }, 'zh-CN': { version: 0, lexicon: defaultLexiconOf('zh-CN') } };
  const snapshot = await buildSnapshot(all.map((article) => ({ article, version: 1 })), lexicons, { version: 1, publishedAt: 0, by: 'bench' });
  const en = snapshot.languages.get('en')!;
  const bot: Bot = { matcher: en.matcher, escalation: phraseMatcher(DEFAULT_ESCALATION_PHRASES), askedAgent: phraseMatcher(DEFAULT_AGENT_PHRASES) };
  const stats = en.matcher.stats();
  progress(`${articles.length} English articles, ${stats.questions} questions; matcher threshold ${round(stats.calibration.threshold, 4)} (${stats.calibrationSource}, ${stats.calibration.thresholdRule})`);

  const sets = (values.sets?.split(',') ?? ['fixtures', 'standard', 'heldOut', ...(values.dev ? ['development'] : [])]) as SetName[];
  const bank: Record<SetName, Question[]> = {
    fixtures: fixtures.questions, heldOut: fixtures.heldOut, development: fixtures.development,
    standard: articles.map((a) => ({ text: a.standardQuestion, expected: a.id })),
  };
  for (const s of sets) if (!bank[s]) throw new Error(`unknown set ${s} (sets: ${Object.keys(bank).join(', ')})`);
  const repeats = Number(values['fixture-repeats']);
  const questions = sets.flatMap((set) => Array.from({ length: set === 'fixtures' ? repeats : 1 }, (_, repeat) => bank[set].map((q) => ({ set, repeat, q })))).flat();
  const dir = tempDir('deskline-bench-faq-');
  try {
    progress(`synthesizing ${questions.length} questions (flite slt → G.711 µ-law → 16 kHz)`);
    const items: Item[] = questions.map(({ set, repeat, q }, i) => {
      const audio = telephoneAudio(q.text, dir, 10 + 2 * i);
      return { ...q, set, repeat, audio, audioMs: (audio.length * 1000) / 16000 };
    });

    // The phrases knowledge-module teaches the recognizer when the knowledge base is published.
    const dictionary = await loadDictionary(CMUDICT);
    const kbPhrases = [...en.questions, ...DEFAULT_AGENT_PHRASES.en, ...DEFAULT_ESCALATION_PHRASES.en];
    const pocketsphinx = { engine: 'pocketsphinx' as const, language: 'en', hmm: HMM };
    const withPhrases = (phrases: string[], search: { phraseSearch?: 'lm-mix'; mixWeight?: number } = {}) => ({
      phrases: phrases.length, words: new Set(phrases.flatMap(tokenize)).size, load: () => loadSpeechEngine({ ...pocketsphinx, phrases, ...search }),
    });
    const fillers = await Promise.all(values['filler-per-intent'].split(',').map(Number).map(async (n) => ({
      n, all: await fillerSentences(dictionary, n, new Set()), blind: await fillerSentences(dictionary, n, BLIND_EXCLUDES),
    })));
    const variants: { name: string; description: string; phrases?: number; words?: number; load: () => Promise<Pick<SpeechEngine, 'open' | 'close'>> }[] = [
      { name: 'kb', description: 'domain trigram LM from the published questions + agent and escalation phrases, alone', ...withPhrases(kbPhrases) },
      ...fillers.flatMap(({ n, all, blind }) => [
        { name: `kb+filler${n}`, description: `kb + ${all.length} CLINC150 sentences (${n} per intent, all 150 intents)`, ...withPhrases([...kbPhrases, ...all]) },
        { name: `kb+filler${n}-blind`, description: `kb + ${blind.length} CLINC150 sentences (${n} per intent, no weather/food/restaurant/shopping intents)`, ...withPhrases([...kbPhrases, ...blind]) },
      ]),
      ...values.mix.split(',').map(Number).map((w) => ({
        name: `kb-mix@${w}`, description: `phraseSearch lm-mix: the kb LM mixed ${w} / ${round(1 - w, 2)} with the generic en-us LM${w === 0.8 ? ' (what the appliance runs: CallSpeech.expectPhrases)' : ''}`,
        ...withPhrases(kbPhrases, { phraseSearch: 'lm-mix', mixWeight: w }),
      })),
      {
        name: 'kb-mix@0.8-default-beams', description: 'kb-mix@0.8 with pocketsphinx\'s default beams (lm-mix narrows them for speed)',
        phrases: kbPhrases.length, load: () => defaultBeamMix(kbPhrases, dictionary, 0.8, dir),
      },
      { name: 'generic', description: 'Debian pocketsphinx-en-us generic LM (en-us.lm.bin) and full cmudict', load: () => loadSpeechEngine({ ...pocketsphinx, lm: GENERIC_LM }) },
    ];
    const wanted = values.only ? new Set(values.only.split(',')) : undefined;

    const textRows: Scored[] = items.map((it) => ({ set: it.set, repeat: it.repeat, expected: it.expected, verdict: judge(bot, it.text, it.expected) }));
    // Per question, one line per variant: right or not, what was heard, the top article, confidence and why not answered.
    const perItem = items.map((it, i) => ({
      set: it.set, ...(it.set === 'fixtures' ? { repeat: it.repeat } : {}), text: it.text, expected: it.expected,
      textMatch: `${textRows[i]!.verdict.decision ? 'ok  ' : 'MISS'} ${said(textRows[i]!.verdict)}`, heard: {} as Record<string, string>,
    }));
    const report: Record<string, unknown> = {};
    for (const v of variants) {
      if (wanted && !wanted.has(v.name)) continue;
      progress(`${v.name}: loading (${v.description})`);
      const engine = await v.load();
      const rows: Scored[] = [];
      // Engines with a second reading (lm-mix): also scored on their own reading alone.
      const ownOnly: Scored[] = [];
      let cpuMs = 0, audioMs = 0, split = 0;
      for (const [i, it] of items.entries()) {
        const heard = await transcribe(engine, it.audio);
        cpuMs += heard.cpuMs;
        audioMs += it.audioMs;
        if (heard.turns > 1) split++;
        const verdict = judge(bot, heard.text, it.expected, heard.alternatives);
        const ref = tokenize(it.text);
        rows.push({ set: it.set, repeat: it.repeat, expected: it.expected, verdict, errors: editDistance(ref, tokenize(heard.text)), refWords: ref.length });
        if (heard.alternatives.length) ownOnly.push({ set: it.set, repeat: it.repeat, expected: it.expected, verdict: judge(bot, heard.text, it.expected) });
        const other = heard.alternatives[0] !== undefined && heard.alternatives[0] !== heard.text ? ` | KB LM: "${heard.alternatives[0]}"` : '';
        perItem[i]!.heard[v.name] = `${verdict.decision ? 'ok  ' : 'MISS'} "${heard.text}"${other} → ${said(verdict)}`;
        progress(`${v.name} ${it.set} ${i + 1}/${items.length} ${perItem[i]!.heard[v.name]} (want ${it.expected ?? 'handoff'})`);
      }
      engine.close();
      const summary = bySet(rows, sets);
      report[v.name] = {
        description: v.description, lmPhrases: v.phrases, lmWords: v.words, realTimeFactor: round(cpuMs / audioMs, 3), questionsSplitIntoTurns: split,
        fixtureDecisionsPerRepeat: perRepeat(rows), ...summary,
        ...(ownOnly.length ? { ownReadingOnly: { fixtureDecisionsPerRepeat: perRepeat(ownOnly), ...bySet(ownOnly, sets) } } : {}),
      };
      progress(`${v.name}: fixtures ${summary.fixtures?.botDecisionsCorrect} right (per repeat ${perRepeat(rows).join(', ')}); all once: top-1 ${summary.all!.top1Count}, `
        + `top-3 ${summary.all!.top3Count}, answered right ${summary.all!.answeredCorrectly}, out of scope handed off ${summary.all!.outOfScopeHandedOff}, WER ${summary.all!.wer}`);
    }

    return {
      knowledgeBase: { file: path.relative(repoRoot, KB_FILE), englishArticles: articles.length, questions: stats.questions, vocabulary: stats.vocabulary },
      matcher: { source: 'buildSnapshot (as published)', threshold: stats.calibration.threshold, thresholdRule: stats.calibration.thresholdRule, knnWeight: stats.calibration.knnWeight, temperature: stats.calibration.temperature },
      audio: {
        voice: 'flite slt', path: '8 kHz (sox -R) → 0.5 s + speech + 1 s, −60 dBFS line noise throughout → G.711 µ-law → decoded → Deskline 8→16 kHz resampler',
        vad: 'hangover 220 ms, start 60 ms (Transcriber defaults); a question split into several turns is joined', decoder: 'a fresh one per question (as per call)',
        fixtureRepeats: `${repeats} (the fixture questions again with other line noise; "all" counts the first repeat only, and not the development set)`,
      },
      decisionRule: 'in scope: answered (no escalation or agent phrase, not out of scope) with the expected article; out of scope: not answered',
      originalText: bySet(textRows, sets),
      recognized: report,
      questions: perItem,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
