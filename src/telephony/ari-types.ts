// The slice of the ARI data model Deskline reads. Unknown fields are ignored; unknown event types
// are passed through as such (never thrown on, unlike ari-client).

export interface AriCallerId {
  name: string;
  number: string;
}

export interface AriChannel {
  id: string;
  name: string;
  state: string;
  caller: AriCallerId;
  connected: AriCallerId;
  dialplan?: { context: string; exten: string; priority: number };
  creationtime?: string;
  language?: string;
}

export interface AriPlayback {
  id: string;
  media_uri: string;
  target_uri: string;
  state: 'queued' | 'playing' | 'paused' | 'continuing' | 'done' | 'failed' | string;
}

export interface AriEventBase {
  type: string;
  application: string;
  timestamp?: string;
  asterisk_id?: string;
}

export interface AriLiveRecording {
  name: string;
  format: string;
  state: string;
  target_uri: string;
  duration?: number;
  cause?: string;
}

export type AriEvent = AriEventBase & {
  channel?: AriChannel;
  recording?: AriLiveRecording;
  playback?: AriPlayback;
  args?: string[];
  digit?: string;
  duration_ms?: number;
  cause?: number;
  cause_txt?: string;
  soft?: boolean;
};

export interface AriAsteriskInfo {
  system?: { version?: string; entity_id?: string };
  status?: { startup_time?: string; last_reload_time?: string };
}
