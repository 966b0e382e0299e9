// Caller scripts for test calls: "wait 2; dtmf 12#; play hello.wav; wait 5; hangup".
// Parsed and checked here; the dialplan context deskline-caller runs the steps.

export type CallerStep = { op: 'wait'; seconds: number } | { op: 'dtmf'; digits: string } | { op: 'play'; file: string } | { op: 'hangup' };

export class CallerScriptError extends Error {
  readonly code = 'DESKLINE_CALLER_SCRIPT';
}

export function parseCallerScript(text: string): CallerStep[] {
  const steps: CallerStep[] = [];
  const parts = text.split(/[;\n]/).map((part) => part.trim()).filter(Boolean);
  if (parts.length === 0) throw new CallerScriptError('caller script is empty: e.g. "wait 2; dtmf 1; hangup"');
  if (parts.length > 100) throw new CallerScriptError(`caller script has ${parts.length} steps; at most 100`);
  parts.forEach((part, i) => {
    const where = `step ${i + 1} ("${part}")`;
    const [op, ...rest] = part.split(/\s+/);
    const arg = rest.join(' ');
    switch (op) {
      case 'wait': {
        const seconds = Number(arg);
        if (!/^\d+(\.\d+)?$/.test(arg) || seconds > 600) throw new CallerScriptError(`${where}: wait takes seconds from 0 to 600`);
        steps.push({ op: 'wait', seconds });
        break;
      }
      case 'dtmf':
        if (!/^[0-9A-D*#]{1,32}$/i.test(arg)) throw new CallerScriptError(`${where}: dtmf takes 1–32 of 0-9 * # A-D`);
        steps.push({ op: 'dtmf', digits: arg.toUpperCase() });
        break;
      case 'play':
        if (!arg || /[,|;()\n]/.test(arg)) throw new CallerScriptError(`${where}: play takes a file path without , | ; ( )`);
        steps.push({ op: 'play', file: arg });
        break;
      case 'hangup':
        if (arg) throw new CallerScriptError(`${where}: hangup takes no argument`);
        steps.push({ op: 'hangup' });
        break;
      default:
        throw new CallerScriptError(`${where}: unknown step "${op}"; use wait, dtmf, play or hangup`);
    }
  });
  return steps;
}
