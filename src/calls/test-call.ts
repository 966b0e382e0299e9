// `deskline test-call`: a scripted caller on a Local channel into the running Deskline, reported
// from the call record Deskline wrote. Technicians check a site with it; tests use it too.
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { extname } from 'node:path';
import { parseCallerScript, type CallerStep } from '../telephony/caller-script.ts';
import type { Telephony } from '../telephony/telephony.ts';
import type { CallRecords } from './call-records.ts';
import type { CallService } from './call-service.ts';
import { summarizeCall, type CallSummary } from './call-summary.ts';

const execFileAsync = promisify(execFile);

export interface TestCallRequest {
  to: string;
  script: string;
  callerNumber?: string;
  callerName?: string;
  timeoutSeconds?: number;
}

export interface MediaDirs {
  hostDir: string;
  asteriskDir: string;
}

export class TestCallError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'MEDIA' | 'NOT_CONNECTED' | 'TIMEOUT' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}

/** 8 kHz, mono, 16-bit PCM WAV is what Asterisk's format_wav plays; anything else goes through sox. */
async function stageMedia(file: string, media: MediaDirs): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new TestCallError('MEDIA', `play ${file}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  const name = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = `${media.hostDir}/test-call`;
  await mkdir(dir, { recursive: true });
  const isTelephoneWav = extname(file).toLowerCase() === '.wav' && bytes.length > 44 && bytes.readUInt16LE(20) === 1 && bytes.readUInt16LE(22) === 1 && bytes.readUInt32LE(24) === 8000 && bytes.readUInt16LE(34) === 16;
  if (isTelephoneWav) {
    await copyFile(file, `${dir}/${name}.wav`);
  } else {
    try {
      await execFileAsync('sox', [file, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', `${dir}/${name}.wav`]);
    } catch (error) {
      throw new TestCallError('MEDIA', `play ${file}: not 8 kHz mono 16-bit WAV and sox could not convert it (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return `${media.asteriskDir}/test-call/${name}`;
}

export async function placeTestCall(
  request: TestCallRequest,
  deps: { telephony: Telephony; calls: CallService; records: CallRecords; media: MediaDirs },
): Promise<CallSummary> {
  if (!/^[0-9a-zA-Z+*#]{1,40}$/.test(request.to)) throw new TestCallError('BAD_REQUEST', `--to ${JSON.stringify(request.to)}: digits, letters, + * # only`);
  let steps: CallerStep[];
  try {
    steps = parseCallerScript(request.script);
  } catch (error) {
    throw new TestCallError('BAD_REQUEST', (error as Error).message);
  }
  if (!deps.telephony.link().connected) throw new TestCallError('NOT_CONNECTED', 'Deskline is not connected to Asterisk ARI; see `deskline doctor`');
  const dialplanSteps: { op: CallerStep['op']; arg: string }[] = [];
  for (const step of steps) {
    if (step.op === 'play') dialplanSteps.push({ op: 'play', arg: await stageMedia(step.file, deps.media) });
    else if (step.op === 'wait') dialplanSteps.push({ op: 'wait', arg: String(step.seconds) });
    else if (step.op === 'dtmf') dialplanSteps.push({ op: 'dtmf', arg: step.digits });
    else dialplanSteps.push({ op: 'hangup', arg: '' });
  }
  const callId = `testcall-${randomUUID()}`;
  const timeoutSeconds = request.timeoutSeconds ?? 120;
  const ended = deps.calls.waitForEnd(callId, timeoutSeconds * 1000);
  try {
    await deps.telephony.originateScriptedCall({
      callChannelId: callId,
      // Not `${callId}-…`: Asterisk checks new ids by prefix, so that would collide (409).
      callerChannelId: callId.replace(/^testcall-/, 'caller-'),
      to: request.to,
      callerNumber: request.callerNumber ?? '5550199',
      callerName: request.callerName ?? 'Deskline test call',
      steps: dialplanSteps,
      timeoutSeconds: 30,
    });
  } catch (error) {
    throw new TestCallError('FAILED', `could not place the call: ${(error as Error).message}`);
  }
  const state = (await ended) ?? (await deps.records.get(callId));
  if (!state) throw new TestCallError('TIMEOUT', `no call record for ${callId}: the call never reached Deskline`);
  return summarizeCall(state, await deps.records.trail(callId));
}
