import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { importPrompt, PromptLibraryError, recordedPrompts } from './prompt-library.ts';
import { PromptResolver } from './prompt-resolver.ts';

const run = promisify(execFile);
const info = async (file: string) => (await run('sox', ['--i', '-r', file])).stdout.trim();

test('given an ogg and an mp3 upload, when imported, then 8 kHz wav and 16 kHz sln16 land in the library', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-prompts-'));
  try {
    await run('espeak-ng', ['-w', join(dir, 'src.wav'), 'welcome to the library']);
    await run('sox', [join(dir, 'src.wav'), join(dir, 'upload.ogg')]);
    const base = await importPrompt(join(dir, 'media'), 'en', 'welcome', join(dir, 'upload.ogg'));
    t.is(await info(`${base}.wav`), '8000');
    t.true((await stat(`${base}.sln16`)).size > 16000, '16 kHz raw, more than half a second');
    await run('sox', [join(dir, 'src.wav'), join(dir, 'upload.mp3')]).then(
      async () => t.is(await info(`${await importPrompt(join(dir, 'media'), 'zh-CN', 'welcome', join(dir, 'upload.mp3'))}.wav`), '8000'),
      () => t.log('sox here cannot write mp3 (libsox-fmt-mp3 missing); mp3 import not exercised'),
    );
    t.deepEqual((await recordedPrompts(join(dir, 'media'))).get('en'), ['welcome']);
    await t.throwsAsync(importPrompt(join(dir, 'media'), 'fr', 'x', join(dir, 'upload.ogg')), { instanceOf: PromptLibraryError, message: /use en or zh-CN/ });
    await t.throwsAsync(importPrompt(join(dir, 'media'), 'en', '../../etc/passwd', join(dir, 'upload.ogg')), { message: /prompt id/ });
    await t.throwsAsync(importPrompt(join(dir, 'media'), 'en', 'x', join(dir, 'upload.txt')), { message: /upload wav, mp3, ogg or flac/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('given catalog prompts, tts and spoken values, when resolved, then recordings win, TTS is cached by content, en digits use Asterisk', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-prompts-'));
  try {
    const resolver = new PromptResolver({ hostDir: `${dir}/media`, asteriskDir: '/run/x/media' }, new Map([['zh-CN', new Map([['hello', '您好']])], ['en', new Map([['hello', 'Hello']])]]));
    const [zh] = await resolver.resolve([{ prompt: 'hello' }], 'zh-CN');
    t.regex(zh!, /^sound:\/run\/x\/media\/tts\/[0-9a-f]{24}$/);
    const [again] = await resolver.resolve([{ tts: '您好' }], 'zh-CN');
    t.is(again, zh, 'same text and voice: same cached file');
    t.deepEqual(await resolver.resolve([{ say: 'digits', value: '123' }, { sound: 'beep' }], 'en'), ['digits:123', 'sound:beep']);
    await run('espeak-ng', ['-w', join(dir, 'rec.wav'), 'recorded hello']);
    await importPrompt(`${dir}/media`, 'en', 'hello', join(dir, 'rec.wav'));
    t.deepEqual(await resolver.resolve([{ prompt: 'hello' }], 'en'), ['sound:/run/x/media/prompts/en/hello']);
    await t.throwsAsync(resolver.resolve([{ prompt: 'nope' }], 'en'), { message: /not in the en prompt library/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
