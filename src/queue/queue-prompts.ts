// What callers and agents hear from the queue, in the call's language. Text goes through the
// prompt resolver's TTS, so zh-CN and en are both spoken without recorded files.
import type { PromptRef } from '../ivr/flow-types.ts';
import type { WaitEstimate } from './wait-estimate.ts';

type Language = 'en' | 'zh-CN';

function waitText(ewt: WaitEstimate, language: Language): string {
  const minutes = ewt.kind === 'about' ? ewt.seconds / 60 : ewt.minutes;
  const shown = Number.isInteger(minutes) ? String(minutes) : minutes.toFixed(1);
  if (language === 'zh-CN') return ewt.kind === 'about' ? `预计等待约${shown}分钟。` : `预计等待超过${shown}分钟。`;
  const unit = minutes === 1 ? 'minute' : 'minutes';
  return ewt.kind === 'about' ? `The estimated wait is about ${shown} ${unit}.` : `The estimated wait is more than ${shown} ${unit}.`;
}

/** "You are number 3 in line. The estimated wait is about 2 minutes." */
export function positionAnnouncement(position: number, ewt: WaitEstimate, language: Language): PromptRef[] {
  if (language === 'zh-CN') {
    const place = position <= 1 ? '您是下一位。' : `您前面还有${position - 1}位客户。`;
    return [{ tts: place + waitText(ewt, language) }];
  }
  const place = position <= 1 ? 'You are next in line.' : `You are number ${position} in line.`;
  return [{ tts: `${place} ${waitText(ewt, language)}` }];
}

/** Said to the agent before the caller is connected. */
export function agentWhisper(input: { queueName: string; callerNumber: string; repeatCalls: number }, language: Language): PromptRef[] {
  const digits = input.callerNumber.replace(/[^0-9]/g, '').split('').join(' ');
  if (language === 'zh-CN') {
    const repeat = input.repeatCalls > 0 ? `重复来电，近期${input.repeatCalls}次。` : '';
    return [{ tts: `${input.queueName}队列来电。号码 ${digits || '未知'}。${repeat}` }];
  }
  const repeat = input.repeatCalls > 0 ? ` Repeat caller, ${input.repeatCalls} recent ${input.repeatCalls === 1 ? 'call' : 'calls'}.` : '';
  return [{ tts: `Call from queue ${input.queueName}. Caller ${digits || 'unknown'}.${repeat}` }];
}

/** Said to a customer who answers a queue callback, before an agent is rung. */
export function callbackGreeting(queueName: string, language: Language): PromptRef[] {
  if (language === 'zh-CN') return [{ tts: `您好，这是您在${queueName}队列预约的回电，正在为您接通客服，请稍候。` }];
  return [{ tts: `Hello, this is the call back you asked for from ${queueName}. Please hold while we connect you to an agent.` }];
}
