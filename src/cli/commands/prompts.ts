import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { examplesDir, readPromptCatalog } from '../../ivr/flow-files.ts';
import { importPrompt, recordedPrompts } from '../../prompts/prompt-library.ts';
import { PromptResolver } from '../../prompts/prompt-resolver.ts';
import type { DesklineConfig } from '../../config/schema.ts';
import { UsageError, type Command } from './command.ts';
import { configFrom, siteHelp, siteOptions } from './site-options.ts';

function mediaDir(config: DesklineConfig): string {
  return config.asterisk.mediaHostDir || `${resolve(config.store.path)}/media`;
}

export const promptsImportCommand: Command = {
  name: 'prompts import',
  summary: 'install a recording (wav/mp3/ogg/flac) as a library prompt, converted for Asterisk',
  help: `Usage: deskline prompts import --language en|zh-CN --id PROMPT_ID FILE

Converts FILE with sox to 8 kHz .wav and 16 kHz .sln16 in <media>/prompts/<language>/. A
recording replaces the catalog text of that prompt for that language.

Options:
      --language LANG    en or zh-CN
      --id PROMPT_ID     e.g. welcome
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, language: { type: 'string' }, id: { type: 'string' } }, allowPositionals: true, strict: true });
    if (!values.language || !values.id || positionals.length !== 1) throw new UsageError('give --language, --id and one file');
    const path = await importPrompt(mediaDir(await configFrom(values)), values.language, values.id, positionals[0]!);
    console.log(`installed ${values.language}/${values.id}: ${path}.wav, ${path}.sln16`);
    return 0;
  },
};

export const promptsListCommand: Command = {
  name: 'prompts list',
  summary: 'list library prompts per language: catalog text and installed recordings',
  help: `Usage: deskline prompts list [--synthesize]

Options:
      --synthesize       render every catalog text with TTS now (checks the TTS engines, warms the cache)
${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { ...siteOptions, synthesize: { type: 'boolean', default: false } }, strict: true });
    const config = await configFrom(values);
    const catalog = await readPromptCatalog(config.ivr.promptsDir || `${examplesDir}prompts`);
    const recorded = await recordedPrompts(mediaDir(config));
    const resolver = new PromptResolver({ hostDir: mediaDir(config), asteriskDir: mediaDir(config) }, catalog);
    for (const [language, texts] of catalog) {
      console.log(`${language}:`);
      for (const [id, text] of texts) {
        const isRecorded = recorded.get(language)?.includes(id);
        if (values.synthesize && !isRecorded) await resolver.resolve([{ prompt: id }], language);
        console.log(`  ${id.padEnd(22)} ${isRecorded ? '[recording]' : '[tts]      '} ${text}`);
      }
    }
    return 0;
  },
};
