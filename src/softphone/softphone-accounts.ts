// Browser softphones: a WebRTC SIP account for each agent whose phone is the agent console
// ("endpoint: webrtc"), and one desk phone for people testing flows or listening from the
// browser. Passwords are random for each Asterisk start and live only in Deskline's memory; the
// Asterisk config holds md5(user:realm:password), so neither file on disk carries a secret. A
// logged-in user is handed only the account that is theirs (GET /api/v1/softphone).
import { createHash, randomBytes } from 'node:crypto';
import type { SipEndpointSpec } from '../asterisk/render-configs.ts';
import { SOFTPHONE, softphoneEndpointName } from '../queue/queue-config.ts';

export const SOFTPHONE_REALM = 'deskline';
/** The shared desk phone's SIP user: the last browser to register gets its calls. */
export const DESK_PHONE = 'webrtc-desk';

export interface SoftphoneAccount {
  /** SIP user and Asterisk endpoint name. */
  name: string;
  purpose: 'agent' | 'desk';
  agentId?: string;
  /** The number calls from this phone show (an agent's extension: feature codes know it). */
  callerNumber: string;
  password: string;
}

export interface SoftphoneAgent { id: string; name?: string; endpoint: string; extension?: string }

export class SoftphoneAccounts {
  private readonly byName = new Map<string, SoftphoneAccount>();

  /**
   * `kept` gives the password of an account provisioning wrote into an external Asterisk's
   * pjsip.conf (secrets that outlive a restart); the sandbox's are fresh at every start.
   */
  constructor(agents: readonly SoftphoneAgent[], random: (bytes: number) => Buffer = randomBytes, kept?: (name: string) => string | undefined) {
    const secret = (name: string) => kept?.(name) ?? random(18).toString('base64url');
    for (const agent of agents.filter((a) => a.endpoint === SOFTPHONE)) {
      const name = softphoneEndpointName(agent.id);
      this.byName.set(name, { name, purpose: 'agent', agentId: agent.id, callerNumber: agent.extension ?? agent.id, password: secret(name) });
    }
    this.byName.set(DESK_PHONE, { name: DESK_PHONE, purpose: 'desk', callerNumber: '5550199', password: secret(DESK_PHONE) });
  }

  /** Account names, for provisioning to keep a password file per account. */
  static names(agents: readonly SoftphoneAgent[]): string[] {
    return [...agents.filter((a) => a.endpoint === SOFTPHONE).map((a) => softphoneEndpointName(a.id)), DESK_PHONE];
  }

  all(): SoftphoneAccount[] {
    return [...this.byName.values()];
  }

  /** The agent's own phone, when their phone is the browser softphone. */
  forAgent(agentId: string): SoftphoneAccount | undefined {
    return this.byName.get(softphoneEndpointName(agentId));
  }

  desk(): SoftphoneAccount {
    return this.byName.get(DESK_PHONE)!;
  }

  /** Asterisk endpoints for these accounts: WebRTC, Opus first, digest credentials only. */
  endpointSpecs(context: string): SipEndpointSpec[] {
    return this.all().map((a) => ({
      name: a.name, context, codecs: 'opus,ulaw,alaw', callerId: `"${a.agentId ?? 'Desk phone'}" <${a.callerNumber}>`,
      password: '', contact: '', webrtc: true, realm: SOFTPHONE_REALM, digest: md5Credential(a.name, SOFTPHONE_REALM, a.password),
    }));
  }
}

/** HA1 of SIP digest authentication: what Asterisk's md5_cred holds. */
export const md5Credential = (user: string, realm: string, password: string) => createHash('md5').update(`${user}:${realm}:${password}`).digest('hex');
