// Rules that span fields of a site file, and what only a look at the disk can tell. The schema
// (schema.ts) says each field is well formed; these say the site hangs together: every DID a
// trunk delivers reaches a flow, every agent's phone is one provisioning defines, secrets exist.
import { access, constants } from 'node:fs/promises';
import { routeRank } from '../ivr/routes.ts';
import type { DesklineConfig } from './schema.ts';

export interface SiteProblem {
  level: 'error' | 'warning';
  /** Dotted field path, e.g. trunks.0.dids.2 */
  path: string;
  message: string;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

const routed = (routes: DesklineConfig['ivr']['routes'], did: string) => routes.some((r) => routeRank(r, did) >= 0);

/** Problems of the site as a whole (no disk access). */
export function siteProblems(config: DesklineConfig): SiteProblem[] {
  const problems: SiteProblem[] = [];
  const error = (path: string, message: string) => problems.push({ level: 'error', path, message });
  const warn = (path: string, message: string) => problems.push({ level: 'warning', path, message });

  const endpointNames = new Map<string, string>();
  const claim = (name: string, path: string) => {
    const earlier = endpointNames.get(name);
    if (earlier) error(path, `${name} is already used by ${earlier}: trunk and extension ids name SIP endpoints and must differ`);
    else endpointNames.set(name, path);
  };
  const didOwner = new Map<string, string>();
  config.trunks.forEach((trunk, i) => {
    claim(trunk.id, `trunks.${i}.id`);
    if (trunk.id === 'caller' || trunk.id.startsWith('webrtc-')) error(`trunks.${i}.id`, `${trunk.id} is reserved for Deskline's own endpoints`);
    if (trunk.register && !trunk.username) error(`trunks.${i}.username`, 'a registering trunk needs the user name the carrier gave you');
    if (trunk.username && !trunk.passwordFile) error(`trunks.${i}.passwordFile`, `the carrier password for ${trunk.username} goes in a file (mode 0600); name it here`);
    trunk.dids.forEach((did, j) => {
      const owner = didOwner.get(did);
      if (owner) error(`trunks.${i}.dids.${j}`, `${did} is also delivered by ${owner}`);
      didOwner.set(did, `trunks.${i}`);
      if (!routed(config.ivr.routes, did)) error(`trunks.${i}.dids.${j}`, `${did} has no number route: calls to it would only hear the greeting (add it to ivr.routes)`);
    });
  });
  config.extensions.forEach((extension, i) => claim(extension.id, `extensions.${i}.id`));
  if (config.extensions.length > 0) {
    config.agents.forEach((agent, i) => {
      const local = /^PJSIP\/([^@/]+)$/.exec(agent.endpoint);
      if (local && !config.extensions.some((e) => e.id === local[1])) {
        error(`agents.${i}.endpoint`, `${agent.endpoint} is not one of this site's extensions (${config.extensions.map((e) => e.id).join(', ')})`);
      }
    });
  }
  if (config.asterisk.rtpStart >= config.asterisk.rtpEnd) error('asterisk.rtpEnd', `must be above rtpStart (${config.asterisk.rtpStart})`);
  if (!config.asterisk.sandbox) {
    const host = new URL(config.asterisk.ariUrl).hostname;
    if (!loopback.has(host)) error('asterisk.ariUrl', `Asterisk's HTTP server (ARI) must stay on loopback; ${host} is not (provisioning binds http.conf to the ARI address)`);
  }
  if (config.mqtt.url && !config.site.applianceId) error('site.applianceId', 'the fleet link needs an appliance id');
  if (config.trunks.length === 0 && !config.asterisk.sandbox) warn('trunks', 'no SIP trunk: the box takes calls only from its own extensions');
  return problems;
}

const exists = (path: string, mode = constants.R_OK) => access(path, mode).then(() => true, () => false);

/** What the disk says: secrets and models the site names must be there (checked where it runs). */
export async function siteFileProblems(config: DesklineConfig): Promise<SiteProblem[]> {
  const problems: SiteProblem[] = [];
  for (const [i, trunk] of config.trunks.entries()) {
    if (trunk.passwordFile && !(await exists(trunk.passwordFile))) {
      problems.push({ level: 'error', path: `trunks.${i}.passwordFile`, message: `${trunk.passwordFile} does not exist: put the carrier password there (mode 0600)` });
    }
  }
  const models: [string, string, string][] = [
    ['speech.model', config.speech.model, 'en speech model folder'],
    ['speech.phrasesFile', config.speech.phrasesFile, 'en phrases file'],
    ['speech.zhModel', config.speech.zhModel, 'zh-CN Vosk model folder (README: installing a Vosk model)'],
    ['speech.zhPhrasesFile', config.speech.zhPhrasesFile, 'zh-CN phrases file'],
    ['ivr.flowsDir', config.ivr.flowsDir, 'flows folder'],
    ['knowledge.importOnStart', config.knowledge.importOnStart, 'knowledge file'],
  ];
  for (const [path, value, what] of models) {
    if (value && !(await exists(value))) problems.push({ level: 'warning', path, message: `${value} does not exist (${what})` });
  }
  return problems;
}
