// The UI's two dictionaries (src/web/app/i18n) must say the same things: the same keys, no
// empty text, and the same {placeholders} in each message, so no page shows a raw key or
// drops a number in one language.
import test from 'ava';
import { en, SAME_IN_BOTH } from './app/i18n/en.ts';
import { zhCN } from './app/i18n/zh-CN.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('given the en and zh-CN dictionaries, then they have exactly the same keys', (t) => {
  const enKeys = Object.keys(en).sort(), zhKeys = Object.keys(zhCN).sort();
  t.deepEqual(enKeys.filter((k) => !zhKeys.includes(k)), [], 'keys missing in zh-CN');
  t.deepEqual(zhKeys.filter((k) => !enKeys.includes(k)), [], 'keys missing in en');
  t.true(enKeys.length > 50);
});

test('given either dictionary, then no message is empty or only spaces', (t) => {
  for (const [name, dictionary] of [['en', en], ['zh-CN', zhCN]] as const) {
    const empty = Object.entries(dictionary).filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key);
    t.deepEqual(empty, [], `empty messages in ${name}`);
  }
});

test('given a message, then both languages use the same placeholders', (t) => {
  const mismatched = Object.entries(en).filter(([key, text]) => placeholders(text).join() !== placeholders(zhCN[key as keyof typeof en]).join()).map(([key]) => key);
  t.deepEqual(mismatched, []);
});

test('given the zh-CN dictionary, then its words are Chinese (not English copied over), except names and symbols', (t) => {
  const sameAsEnglish = Object.entries(zhCN).filter(([key, text]) => text === en[key as keyof typeof en]).map(([key]) => key);
  t.deepEqual(sameAsEnglish.sort(), [...SAME_IN_BOTH].sort());
});
