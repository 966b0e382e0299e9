import type { AriEvent } from './ari-types.ts';
import type { TelephonyEvent } from './telephony.ts';

function eventTime(event: AriEvent): number {
  const parsed = event.timestamp ? Date.parse(event.timestamp) : NaN;
  return Number.isFinite(parsed) ? parsed : Date.now();
}

function playbackChannel(targetUri: string | undefined): string | undefined {
  return targetUri?.startsWith('channel:') ? targetUri.slice('channel:'.length) : undefined;
}

/** ARI event → the telephony port's event, or undefined for what call logic does not need. */
export function mapAriEvent(event: AriEvent): TelephonyEvent | undefined {
  const at = eventTime(event);
  const channel = event.channel;
  switch (event.type) {
    case 'StasisStart':
      if (!channel) return undefined;
      if (event.args?.[0] && event.args[0] !== 'inbound') return { type: 'leg-entered', channelId: channel.id, role: event.args[0], args: event.args.slice(1), at };
      if (event.args?.[0] !== 'inbound') return undefined;
      return {
        type: 'call-entered', channelId: channel.id, channelName: channel.name, at,
        caller: { number: channel.caller?.number ?? '', name: channel.caller?.name ?? '' },
        dialed: event.args[1] ?? channel.dialplan?.exten ?? '',
      };
    case 'ChannelStateChange':
      return channel && channel.state === 'Up' ? { type: 'answered', channelId: channel.id, at } : undefined;
    case 'PlaybackStarted':
    case 'PlaybackFinished': {
      const channelId = playbackChannel(event.playback?.target_uri);
      if (!channelId || !event.playback) return undefined;
      return event.type === 'PlaybackStarted'
        ? { type: 'playback-started', channelId, playbackId: event.playback.id, at }
        : { type: 'playback-finished', channelId, playbackId: event.playback.id, failed: event.playback.state === 'failed', at };
    }
    case 'ChannelDtmfReceived':
      return channel && event.digit ? { type: 'dtmf', channelId: channel.id, digit: event.digit, durationMs: event.duration_ms ?? 0, at } : undefined;
    case 'ChannelHangupRequest':
      // cause 32 with soft=true is Asterisk's soft-hangup flag, not a Q.850 cause
      return channel ? { type: 'hangup-requested', channelId: channel.id, cause: event.soft ? undefined : event.cause, at } : undefined;
    case 'StasisEnd':
      return channel ? { type: 'left', channelId: channel.id, at } : undefined;
    case 'RecordingFinished':
    case 'RecordingFailed': {
      const target = event.recording?.target_uri;
      if (event.recording && target?.startsWith('bridge:')) {
        return { type: 'bridge-recording-finished', bridgeId: target.slice('bridge:'.length), name: event.recording.name, durationSeconds: event.recording.duration ?? 0, failed: event.type === 'RecordingFailed', at };
      }
      const channelId = playbackChannel(target);
      if (!channelId || !event.recording) return undefined;
      return { type: 'recording-finished', channelId, name: event.recording.name, durationSeconds: event.recording.duration ?? 0, failed: event.type === 'RecordingFailed', at };
    }
    case 'ChannelDestroyed':
      return channel ? { type: 'destroyed', channelId: channel.id, cause: event.cause ?? 0, causeText: event.cause_txt ?? '', at } : undefined;
    default:
      return undefined;
  }
}
