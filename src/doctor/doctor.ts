// `deskline doctor` and the fleet's remote "doctor" command: the same checks, asked from the
// shell (through the control socket) or from inside the running service.
import type { Health } from '../api/health-routes.ts';
import { ariPassword } from '../config/load.ts';
import type { DesklineConfig } from '../config/schema.ts';
import { resolveAsteriskHost } from '../provisioning/asterisk-host.ts';
import { AriError, AriRest } from '../telephony/ari-rest.ts';
import type { AriAsteriskInfo } from '../telephony/ari-types.ts';
import { clockCheck, diskCheck, speechModelChecks, trunkChecks, trunkReachability, type Check } from './host-checks.ts';

export type { Check };

export interface BoxCheckOptions {
  /** The running service's health, when it runs (its ARI link is then the authority). */
  health?: Health;
  now: number;
  /**
   * Inside the service (the fleet's doctor command): trunks' states from ARI (qualify). The
   * service user cannot run the Asterisk CLI of a chroot, and ARI does not report outbound
   * registrations, so reachability stands in for registration there.
   */
  trunkStates?: () => Promise<Map<string, string>>;
}

export async function boxChecks(config: DesklineConfig, options: BoxCheckOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const { health } = options;
  let version = health?.asterisk.version ?? undefined;
  if (health) {
    checks.push({
      name: 'service ARI link', status: health.ari.connected ? 'ok' : 'fail',
      detail: health.ari.connected ? `connected to Asterisk ${health.asterisk.version}` : `${health.ari.status}: ${health.ari.detail}`,
      fix: health.ari.connected ? undefined : 'is Asterisk running? does ari.conf match the ARI password file? (deskline provision renders both)',
    });
  } else if (!config.asterisk.sandbox) {
    try {
      const rest = new AriRest({ url: config.asterisk.ariUrl, user: config.asterisk.ariUser, password: await ariPassword(config) }, 5000);
      const info = await rest.request<AriAsteriskInfo>('GET', '/asterisk/info');
      version = info.system?.version;
      checks.push({ name: 'Asterisk ARI', status: 'ok', detail: `${config.asterisk.ariUrl} answers, Asterisk ${info.system?.version ?? 'unknown'}` });
    } catch (error) {
      const status = error instanceof AriError ? error.status : 0;
      checks.push({
        name: 'Asterisk ARI', status: 'fail', detail: (error as Error).message,
        fix: (error as { code?: string }).code === 'DESKLINE_CONFIG' ? 'run deskline provision: it generates the ARI password file and ari.conf' : status === 401 ? 'the ARI user/password in the site file does not match ari.conf (deskline provision renders both)' : status === 0 ? 'is Asterisk running? is http.conf enabled on that address and port, and res_ari loaded?' : 'check ari.conf and http.conf',
      });
    }
  }
  if (version) {
    const major = Number(/^(\d+)\./.exec(version)?.[1]);
    checks.push({ name: 'Asterisk version', status: major === 22 ? 'ok' : major >= 20 ? 'warn' : 'fail', detail: `Asterisk ${version}${major === 22 ? '' : '; Deskline is tested with 22.x'}`, fix: major === 22 ? undefined : 'install Asterisk 22 (deploy/install.sh sets up Debian sid\'s in its own root)' });
  }
  if (!config.asterisk.sandbox) {
    const host = await resolveAsteriskHost(config);
    checks.push(...(options.trunkStates ? await trunkReachability(config, options.trunkStates) : await trunkChecks(config, host)));
    checks.push(await diskCheck(config, host.recordingsDir, options.now));
  } else {
    checks.push(await diskCheck(config, config.recordings.dir || `${config.store.path}/recordings`, options.now));
  }
  checks.push(...speechModelChecks(config, health?.speech));
  checks.push(await clockCheck());
  if (config.mqtt.url) {
    const fleet = health?.fleet;
    if (!health) checks.push({ name: 'fleet broker', status: 'warn', detail: `${config.mqtt.url}: the service is not running, so nothing is connected`, fix: 'start the service' });
    else if (!fleet) checks.push({ name: 'fleet broker', status: 'fail', detail: 'the service has no fleet link', fix: 'restart the service after setting mqtt.url' });
    else checks.push({
      name: 'fleet broker', status: fleet.connected ? 'ok' : 'fail',
      detail: fleet.connected ? `connected to ${config.mqtt.url}${fleet.buffered ? `, ${fleet.buffered} message(s) still to send` : ''}` : `not connected to ${config.mqtt.url}: ${fleet.lastError ?? 'no answer yet'}; ${fleet.buffered} message(s) kept for later`,
      fix: fleet.connected ? undefined : 'check mqtt.url, the broker user/password file, the CA file, and that the broker is reachable (firewall)',
    });
  }
  return checks;
}
