/** Ten help-line phrases and the key words that must come out of the recognizer for each. */
export const HELP_LINE_PHRASES: { text: string; keys: string[] }[] = [
  { text: 'I want to pay my bill', keys: ['pay', 'bill'] },
  { text: 'my internet connection is not working', keys: ['internet', 'working'] },
  { text: 'I would like to cancel my subscription', keys: ['cancel', 'subscription'] },
  { text: 'please connect me to technical support', keys: ['technical', 'support'] },
  { text: 'how do I reset my password', keys: ['reset', 'password'] },
  { text: 'what is my account balance', keys: ['account', 'balance'] },
  { text: 'I need to change my address', keys: ['change', 'address'] },
  { text: 'my phone has no signal', keys: ['phone', 'signal'] },
  { text: 'I want to speak to an agent', keys: ['speak', 'agent'] },
  { text: 'when will the technician arrive', keys: ['technician', 'arrive'] },
];

export function keysFound(keys: string[], text: string): boolean {
  const words = new Set(text.toLowerCase().split(/\s+/));
  return keys.every((k) => words.has(k));
}
