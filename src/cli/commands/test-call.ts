import { parseArgs } from 'node:util';
import type { CallSummary } from '../../calls/call-summary.ts';
import { formatSummary } from '../../calls/call-summary.ts';
import { controlRequest } from '../control-client.ts';
import { UsageError, type Command } from './command.ts';
import { siteHelp, siteOptions, socketFrom } from './site-options.ts';

export const testCallCommand: Command = {
  name: 'test-call',
  summary: 'place a scripted call into the running Deskline and report what happened',
  help: `Usage: deskline test-call [--to NUMBER] --script "wait 2; dtmf 1; play FILE.wav; wait 5; hangup" [--json]

Places a call on a Local channel through Deskline's Asterisk: the caller side runs the script
(steps: wait SECONDS, dtmf DIGITS, play FILE, hangup; separated by ; ). When the call ends it
prints whether it was answered, the prompts played (by id), the digits Deskline received, the
hang-up cause and the call id. Exit code 0 when the call was answered, 1 otherwise.

Options:
      --to NUMBER        dialed number (default 4000)
      --script TEXT      the caller script (required)
      --caller NUMBER    caller number (default 5550199)
      --timeout SECONDS  give up after this long (default 120)
      --json             print the full record as JSON
${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...siteOptions, to: { type: 'string', default: '4000' }, script: { type: 'string' }, caller: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    if (!values.script) throw new UsageError('--script is required, e.g. --script "wait 2; dtmf 1; hangup"');
    const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds > 0)) throw new UsageError('--timeout takes whole seconds');
    const socket = await socketFrom(values);
    const { status, body } = await controlRequest<CallSummary & { error?: { code: string; message: string } }>(socket, 'POST', '/control/test-call', {
      to: values.to, script: values.script, callerNumber: values.caller, timeoutSeconds,
    }, ((timeoutSeconds ?? 120) + 30) * 1000);
    if (status !== 200 || body.error) {
      console.error(`deskline test-call: ${body.error?.message ?? `HTTP ${status}`}`);
      return 1;
    }
    console.log(values.json ? JSON.stringify(body, null, 2) : formatSummary(body));
    return body.answered ? 0 : 1;
  },
};
