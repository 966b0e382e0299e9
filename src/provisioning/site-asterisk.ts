// The site file as Asterisk configuration: trunks, desk phones and browser softphones in
// pjsip.conf, the ARI user, HTTP on loopback, every call into Stasis, tones for the locale.
// Pure: secrets come in, rendered files go out; provision.ts decides what to write.
import { createHmac } from 'node:crypto';
import { renderAsteriskConfigs, type SipEndpointSpec } from '../asterisk/render-configs.ts';
import { sha512Crypt } from '../asterisk/sha512-crypt.ts';
import type { DesklineConfig } from '../config/schema.ts';
import { md5Credential, SOFTPHONE_REALM, SoftphoneAccounts } from '../softphone/softphone-accounts.ts';

/** The files provisioning owns in the Asterisk config folder; the rest stay the box's own. */
export const PROVISIONED_FILES = ['pjsip.conf', 'ari.conf', 'http.conf', 'extensions.conf', 'musiconhold.conf', 'rtp.conf', 'indications.conf'] as const;

export interface SiteSecrets {
  ariPassword: string;
  /** trunk id → carrier password */
  trunkPasswords: Map<string, string>;
  /** extension id → SIP password */
  extensionPasswords: Map<string, string>;
  /** softphone account name (webrtc-<agent>, webrtc-desk) → password */
  softphonePasswords: Map<string, string>;
}

/**
 * A crypt hash whose salt comes from the password itself, so re-rendering ari.conf with the same
 * password gives the same file (a second provisioning run changes nothing). The password is 144
 * random bits, so a salt that repeats with it costs nothing.
 */
export function stableAriHash(password: string): string {
  const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const salt = [...createHmac('sha256', password).update('deskline ari.conf salt').digest().subarray(0, 16)].map((b) => alphabet[b & 0x3f]).join('');
  return sha512Crypt(password, salt, 1000);
}

export function siteEndpoints(config: DesklineConfig, secrets: SiteSecrets): SipEndpointSpec[] {
  const phones = config.extensions.map((e): SipEndpointSpec => ({
    name: e.id, context: 'deskline-inbound', codecs: e.codecs.join(','), callerId: `"${e.name.replace(/"/g, '')}" <${e.id}>`,
    password: '', contact: '', realm: SOFTPHONE_REALM, digest: md5Credential(e.id, SOFTPHONE_REALM, secrets.extensionPasswords.get(e.id)!),
  }));
  const softphones = new SoftphoneAccounts(config.agents, undefined, (name) => secrets.softphonePasswords.get(name));
  return [...phones, ...softphones.endpointSpecs('deskline-inbound')];
}

export function siteTemplateValues(config: DesklineConfig, secrets: SiteSecrets): Record<string, unknown> {
  const ari = new URL(config.asterisk.ariUrl);
  const net = config.site.network;
  const nat = net.publicAddress ? { publicAddress: net.publicAddress, localNets: net.localNets.map((n) => ({ net: n })) } : undefined;
  return {
    http: { bindAddress: ari.hostname.replace(/^\[|\]$/g, ''), port: Number(ari.port || 8088) },
    sip: { bindAddress: config.asterisk.sipBind, port: config.asterisk.sipPort },
    rtp: { start: config.asterisk.rtpStart, end: config.asterisk.rtpEnd },
    ari: { user: config.asterisk.ariUser, app: config.asterisk.app, passwordHash: stableAriHash(secrets.ariPassword), passwordFormat: 'crypt' },
    tones: { country: config.site.locale === 'zh-CN' ? 'cn' : 'us' },
    nat,
    tcp: config.trunks.some((t) => t.transport === 'tcp'),
    endpoints: siteEndpoints(config, secrets),
    trunks: config.trunks.map((t) => ({
      ...t,
      codecs: t.codecs.join(','),
      // A ';' starts a comment in Asterisk's config files: escaped, or the password would be cut.
      auth: t.username ? { username: t.username, password: (secrets.trunkPasswords.get(t.id) ?? '').replace(/;/g, '\\;') } : undefined,
      register: t.register,
    })),
  };
}

export async function renderSiteAsterisk(config: DesklineConfig, secrets: SiteSecrets): Promise<Map<string, string>> {
  return renderAsteriskConfigs(siteTemplateValues(config, secrets), PROVISIONED_FILES);
}
