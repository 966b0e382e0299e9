// The Telephony port on Asterisk ARI: REST commands, event mapping, and (re)connect news.
import type { Logger } from 'pino';
import { AriConnection } from './ari-connection.ts';
import { mapAriEvent } from './ari-event-mapping.ts';
import { AriError, AriRest, type AriCredentials } from './ari-rest.ts';
import type { AriChannel, AriPlayback } from './ari-types.ts';
import { TelephonyError, type LinkInfo, type LiveChannel, type OriginateLeg, type OriginateScriptedCall, type SnoopDirection, type Telephony, type TelephonyEvent } from './telephony.ts';

export interface AriTelephonyOptions extends AriCredentials {
  app: string;
  logger: Logger;
  reconnectMaxMs?: number;
  /** Observers only (benchmarks): receive every channel's events, not just the app's. */
  subscribeAll?: boolean;
  /** Called with each REST request's latency (benchmarks). */
  onRequestTimed?: (ms: number, method: string, path: string) => void;
  /** How long one REST request may take (default 10 s; test drivers on a loaded box wait longer). */
  requestTimeoutMs?: number;
}

function gone(error: unknown): boolean {
  return error instanceof AriError && (error.status === 404 || error.status === 422);
}

function wrap(action: string, channelId: string, error: unknown): TelephonyError {
  if (gone(error)) return new TelephonyError('CHANNEL_GONE', `${action} ${channelId}: channel is gone`);
  if (error instanceof AriError && error.status === 0) return new TelephonyError('NOT_CONNECTED', error.message);
  if (error instanceof AriError && error.status >= 400 && error.status < 500) return new TelephonyError('REFUSED', error.message);
  return new TelephonyError('FAILED', `${action} ${channelId}: ${(error as Error).message}`);
}

export class AriTelephony implements Telephony {
  readonly rest: AriRest;
  readonly connection: AriConnection;
  private readonly eventHandlers: ((event: TelephonyEvent) => void)[] = [];
  private readonly connectHandlers: ((info: { reconnect: boolean; asteriskRestarted: boolean }) => void)[] = [];
  private lastStartupTime: string | undefined;

  constructor(private readonly options: AriTelephonyOptions) {
    this.rest = new AriRest(options, options.requestTimeoutMs ?? 10_000, options.onRequestTimed);
    this.connection = new AriConnection(this.rest, { app: options.app, logger: options.logger, reconnectMaxMs: options.reconnectMaxMs, subscribeAll: options.subscribeAll });
    this.connection.on('event', (event) => {
      const mapped = mapAriEvent(event);
      if (mapped) for (const handler of this.eventHandlers) handler(mapped);
    });
    this.connection.on('connected', (info) => {
      const asteriskRestarted = this.lastStartupTime !== undefined && this.lastStartupTime !== info.startupTime;
      this.lastStartupTime = info.startupTime;
      for (const handler of this.connectHandlers) handler({ reconnect: info.reconnect, asteriskRestarted });
    });
  }

  /** The startup time of the Asterisk we last saw, so a restarted Deskline can tell too. */
  seedStartupTime(startupTime: string | undefined): void {
    this.lastStartupTime ??= startupTime;
  }

  start(): void {
    this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }

  onEvent(handler: (event: TelephonyEvent) => void): void {
    this.eventHandlers.push(handler);
  }

  onConnected(handler: (info: { reconnect: boolean; asteriskRestarted: boolean }) => void): void {
    this.connectHandlers.push(handler);
  }

  /** Called when an established event socket is lost (Asterisk gone, network cut, missed pongs). */
  onDisconnected(handler: (reason: string) => void): void {
    this.connection.on('disconnected', handler);
  }

  link(): LinkInfo {
    return {
      connected: this.connection.status === 'connected',
      status: this.connection.status,
      detail: this.connection.lastError,
      asteriskVersion: this.connection.asterisk?.version,
      asteriskStartupTime: this.connection.asterisk?.startupTime,
    };
  }

  async answer(channelId: string): Promise<void> {
    await this.rest.request('POST', `/channels/${encodeURIComponent(channelId)}/answer`).catch((e) => {
      throw wrap('answer', channelId, e);
    });
  }

  async play(channelId: string, playbackId: string, media: string[], language?: string): Promise<void> {
    await this.rest
      .request<AriPlayback>('POST', `/channels/${encodeURIComponent(channelId)}/play/${encodeURIComponent(playbackId)}`, { media: media.join(','), lang: language })
      .catch((e) => {
        throw wrap('play', channelId, e);
      });
  }

  async stopPlayback(playbackId: string): Promise<void> {
    await this.rest.request('DELETE', `/playbacks/${encodeURIComponent(playbackId)}`).catch((e) => {
      if (!gone(e)) throw wrap('stop playback', playbackId, e);
    });
  }

  async playbackState(playbackId: string): Promise<string | undefined> {
    try {
      return (await this.rest.request<AriPlayback>('GET', `/playbacks/${encodeURIComponent(playbackId)}`)).state;
    } catch (error) {
      if (gone(error)) return undefined;
      throw wrap('playback state', playbackId, error);
    }
  }

  async hangup(channelId: string, reason: 'normal' | 'busy' | 'congestion' | 'no_answer' = 'normal'): Promise<void> {
    await this.rest.request('DELETE', `/channels/${encodeURIComponent(channelId)}`, { reason }).catch((e) => {
      if (!gone(e)) throw wrap('hangup', channelId, e);
    });
  }

  async listChannels(): Promise<LiveChannel[]> {
    const channels = await this.rest.request<AriChannel[]>('GET', '/channels');
    return channels.map((c) => ({ id: c.id, name: c.name, state: c.state }));
  }

  /** SIP endpoints and their state (online/offline from qualify), e.g. a trunk's reachability. */
  async endpointStates(tech = 'PJSIP'): Promise<Map<string, string>> {
    const endpoints = await this.rest.request<{ resource: string; state?: string }[]>('GET', `/endpoints/${encodeURIComponent(tech)}`);
    return new Map(endpoints.map((e) => [e.resource, e.state ?? 'unknown']));
  }

  async record(channelId: string, name: string, options: { maxSeconds: number; beep: boolean; terminateOn: string }): Promise<void> {
    await this.rest
      .request('POST', `/channels/${encodeURIComponent(channelId)}/record`, {
        name, format: 'wav', maxDurationSeconds: options.maxSeconds, maxSilenceSeconds: 10, beep: options.beep, terminateOn: options.terminateOn === '#' ? '#' : 'none', ifExists: 'fail',
      })
      .catch((e) => {
        throw wrap('record', channelId, e);
      });
  }

  async snoop(channelId: string, snoopId: string, spy: 'in' | 'out' | 'both', options: { whisper?: SnoopDirection; role?: string; args?: string[] } = {}): Promise<void> {
    const appArgs = [options.role ?? 'media', ...(options.args ?? [])].join(',');
    await this.rest
      .request('POST', `/channels/${encodeURIComponent(channelId)}/snoop`, { spy, whisper: options.whisper ?? 'none', app: this.options.app, appArgs, snoopId })
      .catch((e) => {
        throw wrap('snoop', channelId, e);
      });
  }

  async originate(leg: OriginateLeg): Promise<void> {
    await this.rest
      .request('POST', '/channels', {
        endpoint: leg.endpoint,
        app: this.options.app,
        appArgs: [leg.role, ...leg.args].join(','),
        channelId: leg.channelId,
        callerId: `"${leg.callerId.name.replace(/"/g, '')}" <${leg.callerId.number.replace(/[^0-9A-Za-z+*#]/g, '')}>`,
        timeout: leg.timeoutSeconds,
        ...(leg.formats ? { formats: leg.formats } : {}),
      })
      .catch((e) => {
        throw wrap('originate', leg.channelId, e);
      });
  }

  async startMoh(channelId: string, mohClass: string): Promise<void> {
    await this.rest.request('POST', `/channels/${encodeURIComponent(channelId)}/moh`, { mohClass }).catch((e) => {
      throw wrap('moh', channelId, e);
    });
  }

  async stopMoh(channelId: string): Promise<void> {
    await this.rest.request('DELETE', `/channels/${encodeURIComponent(channelId)}/moh`).catch((e) => {
      if (!gone(e)) throw wrap('stop moh', channelId, e);
    });
  }

  async addToBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.rest.request('POST', `/bridges/${encodeURIComponent(bridgeId)}/addChannel`, { channel: channelIds.join(',') }).catch((e) => {
      throw wrap('add to bridge', bridgeId, e);
    });
  }

  async removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void> {
    await this.rest.request('POST', `/bridges/${encodeURIComponent(bridgeId)}/removeChannel`, { channel: channelIds.join(',') }).catch((e) => {
      throw wrap('remove from bridge', bridgeId, e);
    });
  }

  async recordBridge(bridgeId: string, name: string, options: { maxSeconds: number }): Promise<void> {
    await this.rest
      .request('POST', `/bridges/${encodeURIComponent(bridgeId)}/record`, { name, format: 'wav', maxDurationSeconds: options.maxSeconds, ifExists: 'fail' })
      .catch((e) => {
        throw wrap('record bridge', bridgeId, e);
      });
  }

  async pauseRecording(name: string): Promise<void> {
    await this.whileRecordingStarts(() => this.rest.request('POST', `/recordings/live/${encodeURIComponent(name)}/pause`)).catch((e) => {
      throw wrap('pause recording', name, e);
    });
  }

  async resumeRecording(name: string): Promise<void> {
    await this.whileRecordingStarts(() => this.rest.request('DELETE', `/recordings/live/${encodeURIComponent(name)}/pause`)).catch((e) => {
      throw wrap('resume recording', name, e);
    });
  }

  /**
   * A bridge recording is created at once but joins its bridge a moment later; until then pause
   * and resume answer 409 "Recording not in session" (seen on a loaded box right after the
   * record request). Ask again for up to 2 s, then report the refusal.
   */
  private async whileRecordingStarts<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        const starting = error instanceof AriError && error.status === 409 && /not in session/i.test(error.message);
        if (!starting || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async stopRecording(name: string): Promise<void> {
    await this.rest.request('POST', `/recordings/live/${encodeURIComponent(name)}/stop`).catch((e) => {
      if (!gone(e)) throw wrap('stop recording', name, e);
    });
  }

  async externalMedia(id: string, host: string, port: number, format: 'ulaw' | 'alaw' | 'slin16'): Promise<{ localHost?: string; localPort?: number }> {
    try {
      const channel = await this.rest.request<{ channelvars?: Record<string, string> }>('POST', '/channels/externalMedia', {
        channelId: id, app: this.options.app, external_host: `${host}:${port}`, format, encapsulation: 'rtp', transport: 'udp', direction: 'both',
      });
      const vars = channel?.channelvars ?? {};
      const localPort = Number(vars.UNICASTRTP_LOCAL_PORT);
      return { localHost: vars.UNICASTRTP_LOCAL_ADDRESS, localPort: Number.isInteger(localPort) && localPort > 0 ? localPort : undefined };
    } catch (e) {
      throw wrap('externalMedia', id, e);
    }
  }

  async bridge(bridgeId: string, channelIds: string[]): Promise<void> {
    try {
      await this.rest.request('POST', `/bridges/${encodeURIComponent(bridgeId)}`, { type: 'mixing' });
      // A snoop or externalMedia channel is answered (200) before it has entered Stasis; adding
      // it to a bridge in that gap is 422 "Channel not in Stasis application". Seen on loaded
      // boxes and with WebRTC callers: try again shortly, for up to about 2 s, before giving up.
      for (let attempt = 0; ; attempt++) {
        try {
          await this.rest.request('POST', `/bridges/${encodeURIComponent(bridgeId)}/addChannel`, { channel: channelIds.join(',') });
          return;
        } catch (error) {
          if (!(error instanceof AriError && error.status === 422) || attempt >= 8) throw error;
          await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** Math.min(attempt, 4)));
        }
      }
    } catch (error) {
      throw wrap('bridge', bridgeId, error);
    }
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.rest.request('DELETE', `/bridges/${encodeURIComponent(bridgeId)}`).catch((e) => {
      if (!gone(e)) throw wrap('destroy bridge', bridgeId, e);
    });
  }

  async listBridges(): Promise<{ id: string; channels: string[] }[]> {
    const bridges = await this.rest.request<{ id: string; channels: string[] }[]>('GET', '/bridges');
    return bridges.map((b) => ({ id: b.id, channels: b.channels ?? [] }));
  }

  async continueInDialplan(channelId: string, context: string, extension: string, variables: Record<string, string> = {}): Promise<void> {
    try {
      for (const [variable, value] of Object.entries(variables)) {
        await this.rest.request('POST', `/channels/${encodeURIComponent(channelId)}/variable`, { variable, value });
      }
      await this.rest.request('POST', `/channels/${encodeURIComponent(channelId)}/continue`, { context, extension, priority: 1 });
    } catch (error) {
      throw wrap('continue', channelId, error);
    }
  }

  async originateScriptedCall(call: OriginateScriptedCall): Promise<void> {
    const variables: Record<string, string> = {};
    call.steps.forEach((step, i) => {
      variables[`DESKLINE_OP_${i + 1}`] = step.op;
      variables[`DESKLINE_ARG_${i + 1}`] = step.arg;
    });
    await this.rest
      .request('POST', '/channels', {
        endpoint: `Local/${call.to}@${call.context ?? 'deskline-inbound'}/n`,
        context: 'deskline-caller',
        extension: 'run',
        priority: 1,
        channelId: call.callerChannelId,
        otherChannelId: call.callChannelId,
        callerId: `"${call.callerName.replace(/"/g, '')}" <${call.callerNumber}>`,
        timeout: call.timeoutSeconds,
      }, { variables })
      .catch((e) => {
        throw wrap('originate', call.callChannelId, e);
      });
  }
}
