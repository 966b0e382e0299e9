import test from 'ava';
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PromptError } from './prompt-errors.ts';
import { PromptResolver } from './prompt-resolver.ts';
import { PromptStore } from './prompt-store.ts';
import { publishedPromptUsage, refersToPrompt } from './prompt-usage.ts';
import { chunks, promptStore, soxi, synth, tempDir } from './testing-prompts.ts';


test('given a 44.1 kHz stereo WAV, when uploaded, then an 8 kHz mono 16-bit WAV and 16 kHz sln16 are in place, the catalog knows the id and the resolver plays it', async (t) => {
  const dir = await tempDir(t);
  const { store, catalog } = await promptStore(dir);
  const audio = await synth(join(dir, 'in.wav'), 1.5);
  const { before, after } = await store.upload('en', 'press-one', chunks(audio), { contentType: 'audio/wav', by: 'admin' });
  t.is(before, null);
  t.like(after, { language: 'en', id: 'press-one', source: 'upload', recorded: true, catalogText: null, updatedBy: 'admin', tts: null });
  t.true(Math.abs(after!.durationSeconds! - 1.5) < 0.01, `${after!.durationSeconds} s`);
  t.regex(after!.sha256!, /^[0-9a-f]{64}$/);
  const wav = join(dir, 'prompts/en/press-one.wav');
  t.deepEqual(await soxi(wav), { rate: 8000, channels: 1, bits: 16, encoding: 'Signed Integer PCM', seconds: 1.5 });
  t.is((await stat(join(dir, 'prompts/en/press-one.sln16'))).size, 1.5 * 16000 * 2);
  t.is((await stat(wav)).mode & 0o777, 0o644, 'readable by Asterisk\'s user');
  t.is(after!.bytes, (await stat(wav)).size);
  t.is(catalog.get('en')!.get('press-one'), '', 'known to the running catalog (validator, resolver) at once');
  const resolver = new PromptResolver({ hostDir: dir, asteriskDir: '/media' }, catalog);
  t.true(resolver.hasPrompt('en', 'press-one'));
  t.deepEqual(await resolver.resolve([{ prompt: 'press-one' }], 'en'), ['sound:/media/prompts/en/press-one']);
  t.deepEqual((await readdir(join(dir, 'prompts/en'))).sort(), ['press-one.meta.json', 'press-one.sln16', 'press-one.wav'], 'no temporary file left');
});

test('given Ogg, FLAC, MP3, AIFF and AU files sent as application/octet-stream, when uploaded, then each is recognised by its bytes and converted', async (t) => {
  const dir = await tempDir(t);
  const { store } = await promptStore(dir);
  for (const ext of ['ogg', 'flac', 'mp3', 'aiff', 'au']) {
    const audio = await synth(join(dir, `in.${ext}`), 1, { rate: 22050, channels: 1 });
    const { after } = await store.upload('zh-CN', `tone-${ext}`, chunks(audio, 1000), { contentType: 'application/octet-stream', by: 'admin' });
    t.true(Math.abs(after!.durationSeconds! - 1) < 0.06, `${ext}: ${after!.durationSeconds} s`);
    t.is((await soxi(join(dir, `prompts/zh-CN/tone-${ext}.wav`))).rate, 8000, ext);
    const meta = JSON.parse(await readFile(join(dir, `prompts/zh-CN/tone-${ext}.meta.json`), 'utf8'));
    t.deepEqual(meta.input, { format: ext, bytes: audio.length });
  }
});

test('given what sox cannot read, when uploaded, then PROMPT_BAD_AUDIO says why and nothing is stored', async (t) => {
  const dir = await tempDir(t);
  const { store, catalog } = await promptStore(dir);
  const good = await synth(join(dir, 'in.wav'), 1);
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /body is empty/],
    ['text', Buffer.from('hello, this is not audio at all'), /not an audio file/],
    ['cut header', good.subarray(0, 30), /sox cannot read this wav file: .+/],
    ['bad fmt', Buffer.concat([good.subarray(0, 20), Buffer.from([0x55, 0x55]), good.subarray(22)]), /sox cannot read this wav file/],
    ['flac magic, junk after', Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(500, 7)]), /sox cannot read this flac file/],
  ];
  for (const [what, body, message] of cases) {
    const error = await t.throwsAsync(store.upload('en', 'bad', chunks(body), { contentType: 'audio/wav', by: 'admin' }), { instanceOf: PromptError, message }, what);
    t.is(error?.code, 'PROMPT_BAD_AUDIO', what);
    t.is(typeof error?.details?.reason, 'string', what);
  }
  for (const contentType of ['text/plain', 'constructor', '__proto__', 'audio/wav2']) {
    const type = await t.throwsAsync(store.upload('en', 'bad', chunks(good), { contentType, by: 'admin' }), { instanceOf: PromptError, message: /content type "/ }, contentType);
    t.is(type?.code, 'PROMPT_UNSUPPORTED_TYPE');
  }
  t.deepEqual(await readdir(join(dir, 'prompts/en')), []);
  t.false(catalog.get('en')!.has('bad'));
});

test('given audio over the length or size limit, when uploaded, then PROMPT_TOO_LONG / PROMPT_TOO_LARGE and no file is left', async (t) => {
  const dir = await tempDir(t);
  const { store } = await promptStore(dir, { limits: { maxSeconds: 2, maxUploadBytes: 200_000 } });
  const three = await synth(join(dir, 'three.wav'), 3, { rate: 8000, channels: 1 });
  await t.throwsAsync(store.upload('en', 'long', chunks(three), { contentType: 'audio/wav', by: 'a' }), { instanceOf: PromptError, message: /longer than 2 s/ });
  const two = await synth(join(dir, 'two.wav'), 2, { rate: 8000, channels: 1 });
  t.is((await store.upload('en', 'exactly', chunks(two), { contentType: 'audio/wav', by: 'a' })).after!.durationSeconds, 2, 'the limit itself is allowed');
  const big = await synth(join(dir, 'big.wav'), 3, { rate: 44100, channels: 1 });
  const tooLarge = await t.throwsAsync(store.upload('en', 'big', chunks(big), { contentType: 'audio/wav', by: 'a' }), { instanceOf: PromptError });
  t.is(tooLarge?.code, 'PROMPT_TOO_LARGE');
  t.deepEqual((await readdir(join(dir, 'prompts/en'))).sort(), ['exactly.meta.json', 'exactly.sln16', 'exactly.wav']);
});

test('given an 11-minute Ogg of a few kilobytes, when uploaded with the default limits, then PROMPT_TOO_LONG without decoding it all', async (t) => {
  const dir = await tempDir(t);
  const { store } = await promptStore(dir);
  const { execFile } = await import('node:child_process');
  await new Promise((resolve, reject) => execFile('sox', ['-n', '-r', '8000', '-c', '1', join(dir, 'long.ogg'), 'synth', '660', 'sine', '440', 'vol', '0.01'], (e) => (e ? reject(e) : resolve(null))));
  const ogg = await readFile(join(dir, 'long.ogg'));
  const started = performance.now();
  const error = await t.throwsAsync(store.upload('en', 'long', chunks(ogg), { contentType: 'audio/ogg', by: 'a' }), { instanceOf: PromptError, message: /longer than 600 s/ });
  t.is(error?.code, 'PROMPT_TOO_LONG');
  t.log(`${ogg.length} bytes of Ogg refused in ${Math.round(performance.now() - started)} ms`);
});

test('given hostile languages and ids, when used, then PROMPT_BAD_LANGUAGE / PROMPT_BAD_ID before any file is touched', async (t) => {
  const dir = await tempDir(t);
  const { store } = await promptStore(dir);
  const audio = await synth(join(dir, 'in.wav'), 0.5);
  for (const language of ['..', '../en', 'en/..', '/etc', 'fr', 'EN', 'en\0', '', 'x'.repeat(300), 'zh-CN/../..', '.']) {
    await t.throwsAsync(store.upload(language, 'x', chunks(audio), { by: 'a' }), { instanceOf: PromptError, message: /language/ }, JSON.stringify(language));
    await t.throwsAsync(store.get(language, 'x'), { instanceOf: PromptError, message: /language/ });
  }
  for (const id of ['../x', '..', '.', 'a/b', 'a\\b', 'x\0', '', '-x', 'X', 'x.wav', '%2e%2e', 'x'.repeat(65), '/etc/passwd']) {
    await t.throwsAsync(store.upload('en', id, chunks(audio), { by: 'a' }), { instanceOf: PromptError, message: /prompt id/ }, JSON.stringify(id));
    await t.throwsAsync(store.remove('en', id), { instanceOf: PromptError, message: /prompt id/ });
    await t.throwsAsync(store.generate('en', id, { text: 'hi' }, 'a'), { instanceOf: PromptError, message: /prompt id/ });
  }
  t.deepEqual((await readdir(dir)).sort(), ['in.wav', 'prompts']);
  t.deepEqual(await readdir(join(dir, 'prompts/en')), []);
});

test('given recordings over catalog texts, when deleted, then a catalog prompt falls back to its text, a recording-only one goes unless a published flow plays it', async (t) => {
  const dir = await tempDir(t);
  const users = new Map<string, string[]>([['en/menu', ['main-ivr']]]);
  const { store, catalog } = await promptStore(dir, { usedBy: (language, id) => users.get(`${language}/${id}`) ?? [] });
  const audio = await synth(join(dir, 'in.wav'), 0.5);
  for (const id of ['welcome', 'menu', 'spare']) await store.upload('en', id, chunks(audio), { by: 'admin' });
  t.like(await store.get('en', 'welcome'), { source: 'upload', catalogText: 'Thank you for calling.' });
  t.is(catalog.get('en')!.get('welcome'), 'Thank you for calling.', 'the YAML text stays while a recording plays');

  const welcome = await store.remove('en', 'welcome');
  t.like(welcome.before, { source: 'upload', recorded: true });
  t.like(welcome.after, { source: 'catalog', recorded: false, sha256: null, durationSeconds: null });
  t.is(catalog.get('en')!.get('welcome'), 'Thank you for calling.');
  await t.throwsAsync(store.remove('en', 'welcome'), { instanceOf: PromptError, message: /no recording to delete/ });

  const inUse = await t.throwsAsync(store.remove('en', 'menu'), { instanceOf: PromptError, message: /main-ivr/ });
  t.is(inUse?.code, 'PROMPT_IN_USE');
  t.deepEqual(inUse?.details, { flows: ['main-ivr'] });
  t.true(catalog.get('en')!.has('menu'), 'refused: still there');

  t.is((await store.remove('en', 'spare')).after, null);
  t.false(catalog.get('en')!.has('spare'));
  await t.throwsAsync(store.get('en', 'spare'), { instanceOf: PromptError, message: /no prompt spare/ });
  await t.throwsAsync(store.remove('en', 'nothing'), { instanceOf: PromptError, message: /no prompt nothing/ });
  t.deepEqual((await readdir(join(dir, 'prompts/en'))).sort(), ['menu.meta.json', 'menu.sln16', 'menu.wav']);
});

test('given files installed by hand, notes that no longer match and a crash\'s leftovers, when the store opens, then it lists the truth and sweeps the leftovers', async (t) => {
  const dir = await tempDir(t);
  const first = await promptStore(dir);
  await first.store.upload('en', 'edited', chunks(await synth(join(dir, 'a.wav'), 0.5)), { by: 'admin' });
  await synth(join(dir, 'prompts/en/hand.wav'), 0.25, { rate: 8000, channels: 1 });
  await copyFile(join(dir, 'prompts/en/hand.wav'), join(dir, 'prompts/en/edited.wav'), 0); // replaced behind our back
  await writeFile(join(dir, 'prompts/en/.edited.1234abcd.partial.wav'), 'half a prompt');
  await writeFile(join(dir, 'prompts/en/Not-A-Prompt.wav'), 'ignored: not an id');
  const catalog = new Map([['en', new Map([['welcome', 'Hello']])]]);
  const store = await PromptStore.open({ dir: join(dir, 'prompts'), catalog, now: () => 0 });
  t.deepEqual([...catalog.get('en')!.keys()].sort(), ['edited', 'hand', 'welcome'], 'recorded prompts join the catalog at startup');
  t.true(catalog.has('zh-CN'), 'every site language has a catalog entry');
  const list = await store.list({ language: 'en' });
  t.deepEqual(list.map((p) => [p.id, p.source, p.updatedBy]), [['edited', 'file', null], ['hand', 'file', null], ['welcome', 'catalog', null]]);
  t.is(list[0]!.durationSeconds, 0.25);
  t.false((await readdir(join(dir, 'prompts/en'))).some((n) => n.includes('.partial')));
  await t.throwsAsync(store.list({ language: '../x' }), { instanceOf: PromptError });
});

test('given text, when generated with espeak-ng (en, zh-CN) and flite, then a tts prompt is stored; previews save nothing; bad voices and texts are refused', async (t) => {
  const dir = await tempDir(t);
  const { store, catalog } = await promptStore(dir);
  const zh = await store.generate('zh-CN', 'hours', { text: '我们的营业时间是早上九点到下午六点。' }, 'admin');
  t.like(zh.after, { source: 'tts', tts: { text: '我们的营业时间是早上九点到下午六点。', voice: 'espeak-ng:cmn' }, updatedBy: 'admin' });
  t.true(zh.after!.durationSeconds! > 1, `${zh.after!.durationSeconds} s`);
  t.is(catalog.get('zh-CN')!.get('hours'), '我们的营业时间是早上九点到下午六点。');
  const en = await store.generate('en', 'welcome', { text: ' Welcome to Deskline. ', voice: 'flite:slt' }, 'admin');
  t.like(en.after, { source: 'tts', catalogText: 'Thank you for calling.', tts: { text: 'Welcome to Deskline.', voice: 'flite:slt' } });
  t.is((await soxi(join(dir, 'prompts/en/welcome.wav'))).rate, 8000);

  const preview = await store.preview({ text: 'Press one for sales.', language: 'en', voice: 'espeak-ng:en-gb' });
  t.is(preview.toString('latin1', 0, 4), 'RIFF');
  t.is(preview.readUInt32LE(24), 8000, 'what callers hear: 8 kHz');
  t.true(preview.length > 16000, `${preview.length} bytes`);
  t.deepEqual((await readdir(join(dir, 'prompts/en'))).sort(), ['welcome.meta.json', 'welcome.sln16', 'welcome.wav'], 'the preview is stored nowhere');

  await t.throwsAsync(store.preview({ text: '你好', language: 'zh-CN', voice: 'flite:slt' }), { instanceOf: PromptError, message: /does not speak zh-CN: use one of espeak-ng:cmn/ });
  await t.throwsAsync(store.preview({ text: 'x', language: 'en', voice: '../../bin/sh' }), { instanceOf: PromptError, message: /voice/ });
  await t.throwsAsync(store.preview({ text: 'x'.repeat(501), language: 'en' }), { instanceOf: PromptError, message: /at most 500/ });
  await t.throwsAsync(store.preview({ text: '   ', language: 'en' }), { instanceOf: PromptError, message: /nothing to say/ });
  await t.throwsAsync(store.preview({ text: 'a\0b', language: 'en' }), { instanceOf: PromptError, message: /control characters/ });
  const optionLike = await store.generate('en', 'dash', { text: '-v --help', voice: 'espeak-ng:en-us' }, 'a');
  t.true(optionLike.after!.durationSeconds! > 0.3, 'text that looks like options is spoken, not obeyed');
  t.deepEqual(Object.keys(store.voices()), ['en', 'zh-CN']);
});

test('given an engine that does not answer in time, when asked to speak, then PROMPT_TTS_FAILED names it and nothing is kept', async (t) => {
  const dir = await tempDir(t);
  const { store } = await promptStore(dir, { limits: { ttsTimeoutMs: 1 } });
  const error = await t.throwsAsync(store.generate('en', 'slow', { text: 'hello there, this takes a while to say' }, 'a'), { instanceOf: PromptError });
  t.is(error?.code, 'PROMPT_TTS_FAILED');
  t.regex(error!.message, /espeak-ng could not say .*no answer within 0.001 s/);
  t.deepEqual(await readdir(join(dir, 'prompts/en')), []);
});

test('given two uploads of one prompt at once, when both finish, then the files and notes are one of them, whole', async (t) => {
  const dir = await tempDir(t);
  const { store } = await promptStore(dir);
  const a = await synth(join(dir, 'a.wav'), 0.5);
  const b = await synth(join(dir, 'b.wav'), 1);
  const [x, y] = await Promise.all([store.upload('en', 'race', chunks(a), { by: 'a' }), store.upload('en', 'race', chunks(b), { by: 'b' })]);
  const final = await store.get('en', 'race');
  t.true([x.after!.sha256, y.after!.sha256].includes(final.sha256));
  t.is(final.source, 'upload', 'the notes match the WAV that won');
  t.true([0.5, 1].includes(final.durationSeconds!));
  t.true(x.before === null || y.before === null, 'one of them saw the other\'s result as before');
  t.true((await stat(join(dir, 'prompts/en/race.sln16'))).size === final.durationSeconds! * 32000);
});

test('given published flows, when asked who plays a prompt, then only current versions in that language that refer to it count', async (t) => {
  const flow = (id: string, languages: ('en' | 'zh-CN')[], nodes: Record<string, unknown>) => ({ id, name: id, languages, defaultLanguage: languages[0]!, start: 'a', nodes }) as never;
  const docs = new Map<string, unknown>([
    ['ivr@1', flow('ivr', ['en'], { a: { kind: 'play', prompts: [{ prompt: 'hours' }] } })],
    ['ivr@2', flow('ivr', ['en', 'zh-CN'], { a: { kind: 'menu', prompt: [{ tts: 'x' }], options: { 1: { prompts: [{ prompt: 'hours' }] } } } })],
    ['other@1', flow('other', ['en'], { a: { kind: 'play', prompts: [{ prompt: 'hours-long' }, { say: 'digits', value: 'hours' }] } })],
  ]);
  const usedBy = publishedPromptUsage({
    list: async () => [{ id: 'ivr' }, { id: 'other' }, { id: 'draft-only' }],
    current: (id) => ({ ivr: 2, other: 1 } as Record<string, number>)[id],
    get: (id, v) => docs.get(`${id}@${v}`) as never,
  });
  t.deepEqual(await usedBy('zh-CN', 'hours'), ['ivr']);
  t.deepEqual(await usedBy('en', 'hours'), ['ivr']);
  t.deepEqual(await usedBy('en', 'hours-long'), ['other']);
  t.deepEqual(await usedBy('zh-CN', 'hours-long'), []);
  t.false(refersToPrompt({ prompt: 'hours', extra: 1 }, 'hours'), 'only exact prompt references');
});
