// The telephony port: what call logic may ask of, and hear from, the phone system. Domain code
// (calls, ivr, queue) depends on this file only; ari-telephony.ts adapts it to Asterisk ARI.

export interface Party {
  number: string;
  name: string;
}

export type TelephonyEvent =
  | { type: 'call-entered'; channelId: string; channelName: string; at: number; caller: Party; dialed: string }
  | { type: 'answered'; channelId: string; at: number }
  | { type: 'playback-started'; channelId: string; playbackId: string; at: number }
  | { type: 'playback-finished'; channelId: string; playbackId: string; failed: boolean; at: number }
  | { type: 'dtmf'; channelId: string; digit: string; durationMs: number; at: number }
  | { type: 'hangup-requested'; channelId: string; cause: number | undefined; at: number }
  | { type: 'left'; channelId: string; at: number }
  | { type: 'destroyed'; channelId: string; cause: number; causeText: string; at: number }
  | { type: 'recording-finished'; channelId: string; name: string; durationSeconds: number; failed: boolean; at: number }
  /** A channel Deskline originated (agent, callback, supervisor leg) entered the app: it answered. */
  | { type: 'leg-entered'; channelId: string; role: string; args: string[]; at: number }
  | { type: 'bridge-recording-finished'; bridgeId: string; name: string; durationSeconds: number; failed: boolean; at: number };

export interface LiveChannel {
  id: string;
  name: string;
  state: string;
}

export interface LinkInfo {
  connected: boolean;
  status: string;
  detail: string;
  asteriskVersion: string | undefined;
  asteriskStartupTime: string | undefined;
}

export interface OriginateScriptedCall {
  /** Id Asterisk gives the Deskline-side (inbound) half: it becomes the call id. */
  callChannelId: string;
  callerChannelId: string;
  to: string;
  /** Dialplan context the call is placed into: deskline-inbound (default) or deskline-native. */
  context?: 'deskline-inbound' | 'deskline-native';
  callerNumber: string;
  callerName: string;
  /** Caller script steps, run by the dialplan on the caller's half once answered. */
  steps: { op: 'wait' | 'dtmf' | 'play' | 'hangup'; arg: string }[];
  timeoutSeconds: number;
}

/** A call Deskline places (to an agent, a callback number, a supervisor) that enters the app when answered. */
export interface OriginateLeg {
  channelId: string;
  /** Asterisk dial string: PJSIP/1001, PJSIP/5551234@trunk, Local/1001@deskline-sim. */
  endpoint: string;
  /** First Stasis argument on answer (leg-entered.role), then the rest. */
  role: string;
  args: string[];
  callerId: { number: string; name: string };
  timeoutSeconds: number;
  /** Codecs to offer, in order (e.g. opus first for a browser softphone); Asterisk's choice when absent. */
  formats?: string;
}

export type SnoopDirection = 'none' | 'in' | 'out' | 'both';

export interface Telephony {
  answer(channelId: string): Promise<void>;
  play(channelId: string, playbackId: string, media: string[], language?: string): Promise<void>;
  stopPlayback(playbackId: string): Promise<void>;
  /** undefined when the playback no longer exists (finished while we were away). */
  playbackState(playbackId: string): Promise<string | undefined>;
  hangup(channelId: string, reason?: 'normal' | 'busy' | 'congestion' | 'no_answer'): Promise<void>;
  listChannels(): Promise<LiveChannel[]>;
  /** Records the channel's audio into Asterisk's recording store as <name>.wav. */
  record(channelId: string, name: string, options: { maxSeconds: number; beep: boolean; terminateOn: string }): Promise<void>;
  /**
   * A snoop channel on `channelId` (spy in = what the caller says, out = what they hear); whisper
   * is where audio sent into the snoop goes ('none': nowhere, so a listener is never heard).
   */
  snoop(channelId: string, snoopId: string, spy: 'in' | 'out' | 'both', options?: { whisper?: SnoopDirection; role?: string; args?: string[] }): Promise<void>;
  originate(leg: OriginateLeg): Promise<void>;
  startMoh(channelId: string, mohClass: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  /** Records what a bridge mixes into Asterisk's recording store as <name>.wav. */
  recordBridge(bridgeId: string, name: string, options: { maxSeconds: number }): Promise<void>;
  pauseRecording(name: string): Promise<void>;
  resumeRecording(name: string): Promise<void>;
  stopRecording(name: string): Promise<void>;
  /** An External Media channel sending the audio of its bridge as RTP to host:port. */
  externalMedia(id: string, host: string, port: number, format: 'ulaw' | 'alaw' | 'slin16'): Promise<{ localHost?: string; localPort?: number }>;
  /** A mixing bridge holding the given channels. */
  bridge(bridgeId: string, channelIds: string[]): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
  listBridges(): Promise<{ id: string; channels: string[] }[]>;
  /** Hands the channel back to the dialplan (transfers); it leaves Deskline's control. */
  continueInDialplan(channelId: string, context: string, extension: string, variables?: Record<string, string>): Promise<void>;
  originateScriptedCall(call: OriginateScriptedCall): Promise<void>;
  link(): LinkInfo;
  onEvent(handler: (event: TelephonyEvent) => void): void;
  /** Called after every (re)connect with whether Asterisk restarted since the previous connect. */
  onConnected(handler: (info: { reconnect: boolean; asteriskRestarted: boolean }) => void): void;
}

export class TelephonyError extends Error {
  constructor(
    readonly code: 'CHANNEL_GONE' | 'NOT_CONNECTED' | 'REFUSED' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}
