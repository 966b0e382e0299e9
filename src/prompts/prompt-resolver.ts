// Turns the prompt references of flows into media URIs Asterisk can play: library prompts from
// the prompt folder (synthesized from their catalog text when no recording was installed), text
// through TTS, spoken values through Asterisk's own say (en digits) or TTS (everything else).
import { access } from 'node:fs/promises';
import type { PromptRef } from '../ivr/flow-types.ts';
import { sayText } from './say-text.ts';
import { Tts } from './tts.ts';

export interface MediaDirs {
  hostDir: string;
  asteriskDir: string;
}

export class PromptError extends Error {
  readonly code = 'DESKLINE_PROMPT';
}

const exists = (path: string) => access(path).then(() => true, () => false);

export class PromptResolver {
  private readonly tts: Tts;

  constructor(
    private readonly media: MediaDirs,
    /** Catalog texts: language → prompt id → text (ivr-flows/prompts/*.yaml). */
    private readonly catalog: Map<string, Map<string, string>>,
  ) {
    this.tts = new Tts(`${media.hostDir}/tts`);
  }

  /** Host path → what Asterisk calls the same file (they differ when Asterisk runs in a chroot). */
  private asAsterisk(hostBase: string): string {
    return `sound:${this.media.asteriskDir}${hostBase.slice(this.media.hostDir.length)}`;
  }

  hasPrompt(language: string, id: string): boolean {
    return this.catalog.get(language)?.has(id) ?? false;
  }

  async resolve(refs: PromptRef[], language: string): Promise<string[]> {
    const media: string[] = [];
    for (const ref of refs) media.push(await this.resolveOne(ref, language));
    return media;
  }

  private async resolveOne(ref: PromptRef, language: string): Promise<string> {
    if ('sound' in ref) return `sound:${ref.sound}`;
    if ('tts' in ref) return this.asAsterisk(await this.tts.synthesize(ref.tts, language));
    if ('prompt' in ref) {
      const recorded = `${this.media.hostDir}/prompts/${language}/${ref.prompt}`;
      if (await exists(`${recorded}.wav`)) return this.asAsterisk(recorded);
      const text = this.catalog.get(language)?.get(ref.prompt);
      if (text === undefined) throw new PromptError(`prompt ${ref.prompt} is not in the ${language} prompt library`);
      return this.asAsterisk(await this.tts.synthesize(text, language));
    }
    const value = ref.value.trim();
    if (ref.say === 'digits' && language === 'en' && /^[0-9]+$/.test(value)) return `digits:${value}`;
    if (ref.say === 'number' && language === 'en' && /^-?[0-9]{1,15}$/.test(value)) return `number:${value}`;
    return this.asAsterisk(await this.tts.synthesize(sayText(ref.say, value, language), language));
  }
}
