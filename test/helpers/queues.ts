// Helpers for queue tests: one-node queue flows, simulated agents (Local channels into the
// sandbox's deskline-sim context, behaviour set by a global variable), and RTP listening.
import { createSocket, type Socket } from 'node:dgram';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Appliance } from '../../src/app/appliance.ts';
import type { CallSummary } from '../../src/calls/call-summary.ts';

/** A flow whose start node queues the caller; overflow plays a goodbye, key 2 leaves. */
export async function writeQueueFlow(dir: string, queue: string): Promise<string> {
  const id = `q-${queue}`;
  await writeFile(join(dir, `${id}.yaml`), [
    `id: ${id}`,
    `name: Queue ${queue}`,
    'languages: [en]',
    'defaultLanguage: en',
    'start: q',
    'nodes:',
    `  q: { kind: queue, queue: ${queue}, callbackKey: "1", exitKey: "2", onExit: left, onOverflow: overflowed }`,
    '  left: { kind: hangup }',
    '  overflowed: { kind: play, prompts: [{ sound: vm-goodbye }], next: bye }',
    '  bye: { kind: hangup }',
    '',
  ].join('\n'));
  return id;
}

/** How a simulated agent (or customer) behaves: answer after `answerSeconds`, talk, hang up. */
export async function simulate(appliance: Appliance, exten: string, mode: string): Promise<void> {
  await appliance.telephony.rest.request('POST', '/asterisk/variable', { variable: `SIM_${exten}`, value: mode });
}

export const simAgent = (id: string, skills: Record<string, number>, extension?: string) => ({ id, endpoint: `Local/${id}@deskline-sim/n`, skills, ...(extension ? { extension } : {}) });

export const agentOf = (s: CallSummary) => s.trail.find((e) => e.type === 'agent-connected')?.agentId as string | undefined;

/** µ-law byte → linear 16-bit sample (G.711). */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** RMS level of a µ-law payload. */
export function ulawRms(payload: Buffer): number {
  let sum = 0;
  for (const byte of payload) sum += ulawToLinear(byte) ** 2;
  return payload.length ? Math.sqrt(sum / payload.length) : 0;
}

/** A UDP port that counts RTP packets and how many of them carry sound (RMS above `loud`). */
export class RtpListener {
  packets = 0;
  loudPackets = 0;
  readonly socket: Socket;
  private constructor(socket: Socket, readonly port: number, private readonly loud: number) {
    this.socket = socket;
    socket.on('message', (message) => {
      if (message.length <= 12) return;
      this.packets++;
      if (ulawRms(message.subarray(12)) > this.loud) this.loudPackets++;
    });
  }

  static async open(loud = 500): Promise<RtpListener> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpListener(socket, socket.address().port, loud);
  }

  reset(): void {
    this.packets = 0;
    this.loudPackets = 0;
  }

  close(): void {
    this.socket.close();
  }
}

/** µ-law frames of a 1 kHz tone at about −6 dBFS, 20 ms each. */
export function toneFrames(count: number): Buffer[] {
  const frames: Buffer[] = [];
  let n = 0;
  for (let f = 0; f < count; f++) {
    const payload = Buffer.alloc(160);
    for (let i = 0; i < 160; i++, n++) payload[i] = linearToUlaw(Math.round(16000 * Math.sin((2 * Math.PI * 1000 * n) / 8000)));
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = 0; // PT 0: PCMU
    header.writeUInt16BE(f & 0xffff, 2);
    header.writeUInt32BE((f * 160) >>> 0, 4);
    header.writeUInt32BE(0x1234abcd, 8);
    frames.push(Buffer.concat([header, payload]));
  }
  return frames;
}

function linearToUlaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = 0;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}
