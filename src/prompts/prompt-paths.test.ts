import test from 'ava';
import { join } from 'node:path';
import { PromptError } from './prompt-errors.ts';
import { checkId, checkLanguage, languageDir, promptPath } from './prompt-paths.ts';

test('given names that pass no pattern check, when joined into paths, then anything that leaves the prompt folder is refused anyway', (t) => {
  const root = '/srv/media/prompts';
  t.is(promptPath(root, 'zh-CN', 'welcome', '.wav'), join(root, 'zh-CN', 'welcome.wav'));
  for (const language of ['..', '.', '', '../x', 'en/..', '/etc', 'en/sub']) t.throws(() => languageDir(root, language), { instanceOf: PromptError }, JSON.stringify(language));
  for (const id of ['../x', '../../etc/passwd', 'a/b', '/etc/passwd', '..', '']) {
    t.throws(() => promptPath(root, 'en', id, id === '' || id === '..' ? '' : '.wav'), { instanceOf: PromptError }, JSON.stringify(id));
  }
  t.throws(() => checkLanguage('de', ['en', 'zh-CN']), { message: /use one of en, zh-CN/ });
  t.notThrows(() => checkLanguage('zh-CN', ['en', 'zh-CN']));
  t.throws(() => checkId('x'.repeat(65)), { message: /prompt id/ });
  t.notThrows(() => checkId('a'.repeat(64)));
});
