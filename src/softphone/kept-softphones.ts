// Browser softphones on a provisioned Asterisk: `deskline provision` wrote their endpoints into
// pjsip.conf with md5 credentials and kept each password in service.secretsDir. The service reads
// those back; without them (a box not provisioned yet) there are no softphones.
import { readFile } from 'node:fs/promises';
import type { DesklineConfig } from '../config/schema.ts';
import { SoftphoneAccounts } from './softphone-accounts.ts';

export async function keptSoftphones(config: DesklineConfig): Promise<SoftphoneAccounts | undefined> {
  const kept = new Map<string, string>();
  for (const name of SoftphoneAccounts.names(config.agents)) {
    try {
      kept.set(name, (await readFile(`${config.service.secretsDir}/${name}`, 'utf8')).trim());
    } catch {
      return undefined;
    }
  }
  return new SoftphoneAccounts(config.agents, undefined, (name) => kept.get(name));
}

/** Asterisk's SIP-over-WebSocket, on the same loopback HTTP server as ARI. */
export function asteriskWebSocketUrl(ariUrl: string): string {
  const url = new URL(ariUrl);
  return `ws://${url.host}/ws`;
}
