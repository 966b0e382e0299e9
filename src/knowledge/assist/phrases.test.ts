import test from 'ava';
import { DEFAULT_AGENT_PHRASES, DEFAULT_ESCALATION_PHRASES, normalizePhraseText, phraseMatcher } from './phrases.ts';

const escalation = phraseMatcher(DEFAULT_ESCALATION_PHRASES);
const agent = phraseMatcher(DEFAULT_AGENT_PHRASES);

test('given English speech, when it contains an escalation phrase as whole words, then the phrase is found; inside another word it is not', (t) => {
  t.is(escalation.find('I want to make a COMPLAINT about my bill!', 'en'), 'complaint');
  t.is(escalation.find('i will take legal   action', 'en'), 'legal action');
  t.is(escalation.find('my complaintsdepartment', 'en'), undefined);
  t.is(escalation.find('how do I pay my bill', 'en'), undefined);
});

test('given Chinese speech with or without spaces between words, when it contains an escalation phrase, then it is found', (t) => {
  t.is(escalation.find('我要投诉你们', 'zh-CN'), '投诉');
  t.is(escalation.find('我 要 投 诉', 'zh-CN'), '投诉');
  t.is(escalation.find('我要举报！', 'zh-CN'), '举报');
  t.is(escalation.find('我想查一下话费', 'zh-CN'), undefined);
});

test('given a call in one language, when the caller uses a phrase of the other, then it is still found', (t) => {
  t.is(agent.find('please 转人工', 'en'), '人工');
  t.is(agent.find('can I talk to an agent', 'zh-CN'), 'agent');
});

test('given hostile input, when normalized or matched, then it returns quickly without throwing', (t) => {
  const huge = 'a'.repeat(1_000_000);
  t.is(escalation.find(huge, 'en'), undefined);
  t.is(escalation.find('\u0000\u0001\uffff😀😀 (((((a+)+)+)+)$ ', 'en'), undefined);
  t.is(normalizePhraseText('Ｃｏｍｐｌａｉｎｔ'), 'complaint', 'full-width letters fold (NFKC)');
  t.is(escalation.find('', 'zh-CN'), undefined);
});
