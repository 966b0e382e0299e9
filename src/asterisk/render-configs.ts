import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderTemplate } from './template.ts';

export const templatesDir = fileURLToPath(new URL('../../deploy/asterisk/', import.meta.url));

export interface SipEndpointSpec {
  name: string;
  /** Dialplan context calls from this endpoint enter. */
  context: string;
  codecs: string;
  callerId: string;
  /** Empty: no authentication (only for loopback test callers). */
  password: string;
  /** Static contact (e.g. a sipp UAS agent); empty when the device registers. */
  contact: string;
  /** A browser softphone: SIP over WebSocket, DTLS-SRTP, ICE (webrtc=yes). */
  webrtc?: boolean;
  /** Instead of a password in the file: md5(name:realm:password), so the config holds no secret. */
  digest?: string;
  realm?: string;
}

export interface AsteriskConfigValues {
  dirs: { etc: string; modules: string; db: string; spool: string; run: string; log: string };
  http: { bindAddress: string; port: number };
  sip: { bindAddress: string; port: number };
  rtp: { start: number; end: number };
  ari: { user: string; passwordHash: string; passwordFormat: 'crypt'; app: string };
  endpoints: SipEndpointSpec[];
  tones: { country: 'us' | 'cn' };
}

/** Renders the templates in deploy/asterisk/ (all, or the named ones) to { fileName: text }. */
export async function renderAsteriskConfigs(values: AsteriskConfigValues | Record<string, unknown>, only?: readonly string[]): Promise<Map<string, string>> {
  const names = only ? [...only] : (await readdir(templatesDir)).filter((name) => name.endsWith('.conf')).sort();
  const rendered = new Map<string, string>();
  for (const name of names) {
    const text = await readFile(templatesDir + name, 'utf8');
    rendered.set(name, renderTemplate(text, values as unknown as Record<string, unknown>, `deploy/asterisk/${name}`));
  }
  return rendered;
}
