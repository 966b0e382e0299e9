/**
 * A transcription session for one audio leg: 16 kHz PCM in, speech-start / partial / final
 * events out. It endpoints turns with the VAD, keeps a pre-roll so the first syllable is not
 * lost, feeds the engine while the caller speaks (partials) and has it produce one final
 * result per turn. Used by calls (RTP) and by `deskline stt transcribe` (files) alike.
 * Also: the engines behind it (SpeechProfile → SpeechEngine, loaded once, shared by sessions).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VoiceActivityDetector, type VadOptions } from './dsp.ts';
import { PocketsphinxDecoder, DEFAULT_POCKETSPHINX_MODEL, type RecognizedWord, type SphinxSearch } from './pocketsphinx.ts';
import { VoskModel, VoskRecognizer } from './vosk.ts';
import { buildDomainModel, loadDictionary } from './language-model.ts';
import { SpeechError, badArg } from './errors.ts';
import { tempDirFor } from './temp.ts';
import { concat } from './pcm.ts';

export type SttEvent =
  | { type: 'speech-start'; atMs: number }
  /** settled: a whole-turn hypothesis decoded once the caller went quiet (engines with a fast second search); the final follows. */
  | { type: 'partial'; text: string; atMs: number; turnStartMs: number; settled?: true }
  /** alternatives: the same turn decoded with another search (pocketsphinx lm-mix: the knowledge-base LM alone). */
  | { type: 'final'; text: string; words: RecognizedWord[]; startMs: number; endMs: number; decodeMs: number; alternatives?: string[] };

/** One decoded turn. */
export interface TurnResult {
  text: string;
  words: RecognizedWord[];
  /** Other hypotheses of the same audio (another search), best first. */
  alternatives?: string[];
}

/** What a session needs from an engine, per turn. */
export interface TurnRecognizer {
  beginTurn(preroll: Int16Array): Promise<void>;
  /** Audio while the turn goes on; returns the partial text when asked. */
  feed(samples: Int16Array, wantPartial: boolean): Promise<string | null>;
  /** The turn ended; `turn` is all of its audio (pre-roll included). `decided`: a speculative result to use instead. */
  endTurn(turn: Int16Array, decided?: TurnResult, early?: (text: string) => void): Promise<TurnResult>;
  /**
   * Decodes the turn so far as if it had ended (engines that decode whole turns). The session
   * calls it when the caller goes quiet, so the final is ready when the VAD's hangover confirms
   * the end; if the caller speaks again the result is dropped. `early` gets a faster search's
   * hypothesis of the same audio before the final is ready (engines that have one).
   */
  speculate?(turn: Int16Array, early?: (text: string) => void): Promise<TurnResult>;
}

/**
 * pocketsphinx: the final comes from `whole`, which decodes each turn at once (normalization over
 * the turn) and does nothing else; partials come from a second decoder, `streaming`, fed as the
 * caller speaks. Two decoders because in 0.8+5prealpha word times of a decoder that has run a
 * streaming utterance count from its first utterance ever, not from the turn's start.
 * `alternative` (lm-mix): a third whole-turn decoder on the knowledge-base LM alone, run beside
 * `whole` (another thread): its text is the final's alternative and, being ~3× faster, the
 * early hypothesis agent assist shows while the mixed search still runs.
 */
export function pocketsphinxTurns(whole: PocketsphinxDecoder, streaming?: PocketsphinxDecoder, alternative?: PocketsphinxDecoder): TurnRecognizer {
  const both = async (turn: Int16Array, early?: (text: string) => void): Promise<TurnResult> => {
    const alt = alternative?.decodeUtterance(turn).then((t) => (early?.(t.text), t.text));
    // A failed alternative costs the alternative, not the final.
    const [t, altText] = await Promise.all([whole.decodeUtterance(turn), alt?.catch(() => undefined)]);
    return { text: t.text, words: t.words, ...(altText !== undefined ? { alternatives: [altText] } : {}) };
  };
  return {
    async beginTurn(preroll) {
      if (!streaming) return;
      await streaming.startUtterance();
      await streaming.process(preroll, false);
    },
    async feed(samples, wantPartial) {
      return streaming ? streaming.process(samples, wantPartial) : null;
    },
    async endTurn(turn, decided, early) {
      const [t] = await Promise.all([decided ?? both(turn, early), streaming?.endUtterance()]);
      return t;
    },
    speculate: both,
  };
}

/** Vosk: streams everything; its final result for the turn comes from finish(). */
export function voskTurns(recognizer: VoskRecognizer): TurnRecognizer {
  let carried: { text: string; words: RecognizedWord[] }[] = [];
  return {
    async beginTurn(preroll) {
      carried = [];
      await recognizer.accept(preroll);
    },
    async feed(samples) {
      const e = await recognizer.accept(samples);
      if (e.kind === 'final') carried.push(e.result);  // Vosk endpointed inside our turn
      return e.kind === 'partial' ? [...carried.map((c) => c.text), e.text].filter(Boolean).join(' ') : e.result.text;
    },
    async endTurn() {
      const last = await recognizer.finish();
      const all = [...carried, last];
      return { text: all.map((r) => r.text).filter(Boolean).join(' '), words: all.flatMap((r) => r.words) };
    },
  };
}

/**
 * Engine and model for one language, as configured. pocketsphinx: `lm` (ARPA/DMP file), `jsgf`
 * (grammar file) or `phrases` (expected utterances, built into a domain trigram LM or a JSGF
 * grammar at load); `dict` defaults to the model's cmudict. Vosk: a model directory and an
 * optional runtime phrase list.
 */
export type SpeechProfile =
  | ({ engine: 'pocketsphinx'; language: string; hmm?: string; dict?: string } & (
      | { lm: string }
      | { jsgf: string }
      | {
          phrases: string[];
          /**
           * lm: a trigram LM of the phrases only (callers say what is expected); jsgf: exactly the
           * phrases; lm-mix: the phrases' LM mixed with a general LM (a knowledge base: callers ask
           * in their own words, and out-of-scope questions must come out as what they are).
           */
          phraseSearch?: 'lm' | 'jsgf' | 'lm-mix';
          /** lm-mix: the general LM (default Debian's en-us) and the phrases' weight (default 0.8). */
          generalLm?: string;
          mixWeight?: number;
        }
    ))
  | { engine: 'vosk'; language: string; model: string; phrases?: string[] };

/** A recognizer for one session (call leg or file); release() frees its native objects. */
export interface EngineLease {
  turns: TurnRecognizer;
  release(): void;
}

/**
 * A loaded profile, shared read-only by every session: pocketsphinx keeps the resolved model,
 * dictionary and search (built once) and makes decoders per session (a decoder holds per-stream
 * state; ~30 ms and ~8 MB each; two with partials); Vosk shares one model, one recognizer per session.
 */
export interface SpeechEngine {
  readonly profile: SpeechProfile;
  readonly description: string;
  open(options: { partials: boolean }): Promise<EngineLease>;
  close(): void;
}

export async function loadSpeechEngine(profile: SpeechProfile): Promise<SpeechEngine> {
  if (profile.engine === 'vosk') {
    const model = await VoskModel.load(profile.model);
    const phrases = profile.phrases;
    return {
      profile,
      description: `vosk ${profile.language} ${model.dir}${phrases ? ` (${phrases.length} phrases)` : ''}`,
      async open() {
        const rec = await VoskRecognizer.create(model, { sampleRate: 16000, ...(phrases ? { phrases } : {}), words: true });
        return { turns: voskTurns(rec), release: () => rec.free() };
      },
      close: () => model.free(),
    };
  }
  if (profile.engine !== 'pocketsphinx') throw badArg(`unknown engine ${(profile as { engine: string }).engine}`);
  const hmm = profile.hmm ?? path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us');
  let dict = profile.dict ?? path.join(DEFAULT_POCKETSPHINX_MODEL, 'cmudict-en-us.dict');
  let search: SphinxSearch;
  let what: string | undefined;
  // Partials (agent assist, barge-in) may use a cheaper search than the final of each turn.
  let partialSearch: { dict: string; search: SphinxSearch } | undefined;
  // lm-mix: the knowledge-base LM alone also decodes each whole turn (the final's alternative).
  let alternativeSearch: { dict: string; search: SphinxSearch } | undefined;
  let finalArgs: Record<string, string> = {};
  if ('phrases' in profile) {
    const fullDict = dict;
    const model = buildDomainModel({ phrases: profile.phrases, dictionary: await loadDictionary(dict) });
    const dir = tempDirFor('stt-');
    dict = path.join(dir, 'domain.dict');
    await writeFile(dict, model.dictionaryText);
    if (profile.phraseSearch === 'lm-mix') {
      // Measured (bench faq, G.711, demo knowledge base): the mix hands off every out-of-scope
      // question (6/6; the KB LM alone 5/6, and it hears agent/escalation phrases that were not
      // said) and decides as many in-scope questions right as the KB LM alone, at 3× its CPU.
      // Finals use the mix; partials stay on the knowledge-base LM.
      const weight = profile.mixWeight ?? 0.8;
      if (!(weight > 0 && weight < 1)) throw badArg('mixWeight must be between 0 and 1');
      const arpa = path.join(dir, 'domain.arpa');
      await writeFile(arpa, model.arpa);
      partialSearch = { dict, search: { kind: 'lm', path: arpa } };
      // Each search hears some questions the other garbles (bench faq: "going to Spain" only the KB
      // LM, "Saturday mornings" only the mix); the bot matches both and keeps the surer one.
      alternativeSearch = partialSearch;
      search = { kind: 'lmMix', paths: [arpa, profile.generalLm ?? path.join(DEFAULT_POCKETSPHINX_MODEL, 'en-us.lm.bin')], weights: [weight, 1 - weight] };
      // Narrower search for the mix: RTF 0.29 → 0.18 in bench faq, but top-1 54 → 49 of 58 and
      // WER .21 → .27 there (chosen on three questions before the bench existed; to revisit).
      finalArgs = { '-maxhmmpf': '3000', '-maxwpf': '10' };
      dict = fullDict;
      what = `domain trigram LM from ${model.sentences.length} phrases mixed ${weight}/${Math.round((1 - weight) * 100) / 100} with the general LM`;
    } else if (profile.phraseSearch === 'jsgf') {
      search = { kind: 'jsgf', grammar: model.jsgf };
    } else {
      await writeFile(path.join(dir, 'domain.arpa'), model.arpa);
      search = { kind: 'lm', path: path.join(dir, 'domain.arpa') };
    }
    what ??= `domain ${search.kind === 'jsgf' ? 'grammar' : 'trigram LM'} from ${model.sentences.length} phrases`;
  } else if ('jsgf' in profile) {
    let grammar: string;
    try {
      grammar = await readFile(profile.jsgf, 'utf8');
    } catch (cause) {
      throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `cannot read JSGF grammar ${profile.jsgf}`, { cause });
    }
    search = { kind: 'jsgf', grammar };
    what = `grammar ${profile.jsgf}`;
  } else {
    search = { kind: 'lm', path: profile.lm };
    what = `LM ${profile.lm}`;
  }
  // One decoder up front: checks model, dictionary and search now rather than on the first call.
  (await PocketsphinxDecoder.create({ hmm, dict, searches: { main: search } })).free();
  return {
    profile,
    description: `pocketsphinx ${profile.language} ${hmm}, ${what}`,
    async open({ partials }) {
      // Our VAD endpoints the turn; pocketsphinx's own silence removal would shift word times.
      const whole = await PocketsphinxDecoder.create({ hmm, dict, searches: { main: search }, args: { '-remove_silence': 'no', ...finalArgs } });
      const forPartials = partialSearch ?? { dict, search };
      const made: PocketsphinxDecoder[] = [whole];
      const more = async (s: { dict: string; search: SphinxSearch }, args: Record<string, string> = {}) => {
        try {
          const d = await PocketsphinxDecoder.create({ hmm, dict: s.dict, searches: { main: s.search }, args });
          made.push(d);
          return d;
        } catch (error) {
          for (const d of made) d.free();
          throw error;
        }
      };
      const streaming = partials ? await more(forPartials) : undefined;
      const alternative = alternativeSearch ? await more(alternativeSearch, { '-remove_silence': 'no' }) : undefined;
      return { turns: pocketsphinxTurns(whole, streaming, alternative), release: () => { for (const d of made) d.free(); } };
    },
    close: () => undefined,
  };
}

export interface SessionOptions {
  vad?: Omit<VadOptions, 'sampleRate'>;
  /** Partial results this often while speech goes on (audio time). */
  partialEveryMs?: number;
  /** Also emit partials whose text is still empty (start of a turn); default false. */
  emptyPartials?: boolean;
  prerollMs?: number;
  /** Monotonic clock in ms, for decode timings (injected in tests). */
  now?: () => number;
  /**
   * Called (outside push, as soon as it is decoded) with the early whole-turn hypothesis of a turn
   * whose caller went quiet: a `partial` with `settled`. Engines without a fast second search never call it.
   */
  onEarly?: (event: SttEvent) => void;
  /** Quiet this long inside a turn starts a speculative whole-turn decode (engines that can); default 60 ms: a narrowband turn takes ~160 ms to decode, which must fit before the 220 ms hangover ends; pauses inside a turn cost a wasted decode each (measured: ~1.5× the CPU of decoding once). */
  speculateAfterMs?: number;
}

const RATE = 16000;

interface Speculation {
  samples: number;
  result: Promise<TurnResult | undefined>;
}

function levelDb(chunk: Int16Array): number {
  let sum = 0;
  for (const v of chunk) sum += v * v;
  return 10 * Math.log10(sum / Math.max(1, chunk.length) / (32768 * 32768) + 1e-12);
}

export class TranscriptionSession {
  readonly #vad: VoiceActivityDetector;
  readonly #partialEvery: number;
  readonly #prerollSamples: number;
  readonly #now: () => number;
  readonly #emptyPartials: boolean;
  #samples = 0;
  #history: Int16Array[] = [];  // recent audio, enough for the pre-roll
  #turn: Int16Array[] | undefined;
  #turnStart = 0;
  #lastPartialAt = 0;
  #quietSamples = 0;
  #speculation: Speculation | undefined;
  /** The speculation whose early hypothesis may still be reported (cleared when the caller speaks again or the final is out). */
  #earlyFor: object | undefined;
  readonly #onEarly: ((event: SttEvent) => void) | undefined;
  /** A speculative decode is running (wanted or already dropped). */
  #speculating = false;
  readonly #speculateAfter: number;
  readonly #quietAboveFloorDb: number;
  readonly #minDb: number;

  constructor(readonly engine: TurnRecognizer, options: SessionOptions = {}) {
    this.#vad = new VoiceActivityDetector({ ...options.vad, sampleRate: RATE });
    this.#partialEvery = ((options.partialEveryMs ?? 250) * RATE) / 1000;
    this.#prerollSamples = ((options.prerollMs ?? 300) * RATE) / 1000;
    this.#now = options.now ?? (() => performance.now());
    this.#emptyPartials = options.emptyPartials ?? false;
    this.#speculateAfter = ((options.speculateAfterMs ?? 60) * RATE) / 1000;
    this.#onEarly = options.onEarly;
    this.#quietAboveFloorDb = options.vad?.marginDb ?? 12;
    this.#minDb = options.vad?.minDb ?? -50;
  }

  /** Inside a turn: notice the caller going quiet (start a speculative decode) or speaking again (drop it). */
  #watchForEnd(chunk: Int16Array): void {
    if (!this.engine.speculate || !this.#turn) return;
    const quiet = levelDb(chunk) < Math.max(this.#minDb, this.#vad.noiseFloorDb + this.#quietAboveFloorDb);
    if (!quiet) {
      this.#quietSamples = 0;
      this.#speculation = undefined;
      this.#earlyFor = undefined;
      return;
    }
    this.#quietSamples += chunk.length;
    // One speculative decode at a time: a dropped one still runs to its end on the decoder, and
    // with a slow search (the mixed LM, RTF ≈ 0.27) a decode per pause of a long turn queued
    // seconds of work before the real final (measured: finals 10 s late with 3 callers).
    if (this.#quietSamples >= this.#speculateAfter && !this.#speculation && !this.#speculating) {
      const turn = concat(...this.#turn);
      const turnStartMs = (this.#turnStart * 1000) / RATE;
      const atMs = (this.#samples * 1000) / RATE;
      const speculation: Speculation = { samples: turn.length, result: Promise.resolve(undefined) };
      // The early hypothesis counts only while this speculation stands (the caller stayed quiet).
      const early = (text: string) => {
        if (this.#earlyFor === speculation && text.trim()) this.#onEarly?.({ type: 'partial', text, atMs, turnStartMs, settled: true });
      };
      this.#speculation = speculation;
      this.#earlyFor = speculation;
      // Errors surface when the turn really ends (endTurn decodes again then).
      speculation.result = this.engine.speculate(turn, early).catch(() => undefined);
      this.#speculating = true;
      void speculation.result.finally(() => (this.#speculating = false));
    }
  }

  /** Feeds 16 kHz audio (any chunk size; 20 ms is typical). */
  async push(chunk: Int16Array): Promise<SttEvent[]> {
    const events: SttEvent[] = [];
    const chunkStart = this.#samples;
    this.#samples += chunk.length;
    this.#history.push(chunk);
    // Keep the pre-roll plus 1 s: the VAD reports a start after its start delay, back-dated.
    const keep = this.#prerollSamples + RATE + chunk.length;
    while (this.#history.length > 1 && this.#historyLength() - this.#history[0]!.length >= keep) this.#history.shift();
    for (const e of this.#vad.process(chunk)) {
      if (e.kind === 'start' && !this.#turn) {
        const from = Math.max(0, e.sample - this.#prerollSamples);
        const audio = concat(...this.#history);
        const begin = this.#samples - audio.length;
        const preroll = audio.subarray(Math.max(0, from - begin), chunkStart - begin);
        this.#turn = [preroll.slice()];
        this.#turnStart = Math.max(from, begin);
        this.#lastPartialAt = chunkStart;
        await this.engine.beginTurn(preroll.slice());
        events.push({ type: 'speech-start', atMs: (e.sample * 1000) / RATE });
      } else if (e.kind === 'end' && this.#turn) {
        this.#turn.push(chunk);
        events.push(await this.#finish(e.sample));
        return events;
      }
    }
    if (this.#turn) {
      this.#turn.push(chunk);
      this.#watchForEnd(chunk);
      const due = this.#samples - this.#lastPartialAt >= this.#partialEvery;
      const text = await this.engine.feed(chunk, due);
      if (due) {
        this.#lastPartialAt = this.#samples;
        if (text || (text !== null && this.#emptyPartials)) {
          events.push({ type: 'partial', text, atMs: (this.#samples * 1000) / RATE, turnStartMs: (this.#turnStart * 1000) / RATE });
        }
      }
    }
    return events;
  }

  /** End of the stream: finishes an open turn. */
  async end(): Promise<SttEvent[]> {
    return this.#turn ? [await this.#finish(this.#samples)] : [];
  }

  #historyLength(): number {
    return this.#history.reduce((n, c) => n + c.length, 0);
  }

  async #finish(endSample: number): Promise<SttEvent> {
    const turn = concat(...this.#turn!);
    this.#turn = undefined;
    const speculation = this.#speculation;
    this.#speculation = undefined;
    this.#quietSamples = 0;
    const started = this.#now();
    // The caller stayed quiet since the speculative decode began: what followed is silence.
    const decided = speculation ? await speculation.result : undefined;
    // No speculation stood (the caller never went quiet long enough, or one was still running
    // from a pause): the end decodes now, and its fast reading still goes out early.
    const token = {};
    if (!decided) this.#earlyFor = token;
    const atMs = (Math.min(endSample, this.#samples) * 1000) / RATE;
    const turnStartMs = (this.#turnStart * 1000) / RATE;
    const result = await this.engine.endTurn(turn, decided, (text) => {
      if (this.#earlyFor === token && text.trim()) this.#onEarly?.({ type: 'partial', text, atMs, turnStartMs, settled: true });
    });
    this.#earlyFor = undefined;
    const offset = (this.#turnStart * 1000) / RATE;
    return {
      type: 'final',
      text: result.text,
      words: result.words.map((w) => ({ ...w, startMs: w.startMs + offset, endMs: w.endMs + offset })),
      startMs: offset,
      endMs: (Math.min(endSample, this.#samples) * 1000) / RATE,
      decodeMs: Math.round((this.#now() - started) * 10) / 10,
      ...(result.alternatives?.length ? { alternatives: result.alternatives } : {}),
    };
  }
}
