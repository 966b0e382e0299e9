// The browser softphone: JsSIP registered over Deskline's SIP relay (/api/v1/softphone/sip, the
// login cookie rides along), WebRTC media (DTLS-SRTP, Opus) straight to Asterisk. One call at a
// time, as an agent's desk phone has. Listeners get a fresh snapshot on every change, so React
// renders from plain values. Settings that mattered are in ../shared/docs/webrtc-notes.md.
import { UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';

export interface PhoneAccount { uri: string; username: string; password: string; realm: string; socketPath: string; purpose: 'agent' | 'desk'; agentId?: string }

export type Registration = 'off' | 'connecting' | 'registered' | 'failed';
export type CallStatus = 'ringing' | 'dialing' | 'connected' | 'ended';

export interface PhoneCall {
  direction: 'incoming' | 'outgoing';
  /** The other party: the caller's number (incoming) or what was dialed. */
  remote: string;
  remoteName?: string;
  status: CallStatus;
  held: boolean;
  muted: boolean;
  /** Digits sent during this call. */
  digits: string;
  startedAt: number;
  connectedAt?: number;
  endCause?: string;
}

export interface PhoneSnapshot { registration: Registration; problem?: string; call?: PhoneCall }

// For speech on the other end: browser gain control clipped the signal (webrtc-notes.md).
const AUDIO: MediaTrackConstraints = { echoCancellation: false, autoGainControl: false, noiseSuppression: false };

export class Softphone {
  private ua: UA | undefined;
  private session: RTCSession | undefined;
  private snapshot: PhoneSnapshot = { registration: 'off' };
  private readonly listeners = new Set<(s: PhoneSnapshot) => void>();
  private readonly audio: HTMLAudioElement;

  constructor(private readonly account: PhoneAccount) {
    this.audio = document.createElement('audio');
    this.audio.autoplay = true;
  }

  get state(): PhoneSnapshot { return this.snapshot; }

  /** The SIP user (and Asterisk endpoint name): PJSIP/<username> rings this phone. */
  get username(): string { return this.account.username; }

  subscribe(listener: (s: PhoneSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private set(change: Partial<PhoneSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const l of this.listeners) l(this.snapshot);
  }

  private setCall(change: Partial<PhoneCall>): void {
    if (this.snapshot.call) this.set({ call: { ...this.snapshot.call, ...change } });
  }

  start(): void {
    if (this.ua) return;
    const url = new URL(this.account.socketPath, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ua = new UA({
      sockets: [new WebSocketInterface(url.href)],
      uri: this.account.uri,
      authorization_user: this.account.username,
      password: this.account.password,
      realm: this.account.realm,
      register: true,
      session_timers: false,
      user_agent: 'Deskline softphone',
    });
    this.ua = ua;
    this.set({ registration: 'connecting', problem: undefined });
    ua.on('registered', () => this.set({ registration: 'registered', problem: undefined }));
    ua.on('unregistered', () => { if (this.ua === ua) this.set({ registration: 'off' }); });
    ua.on('registrationFailed', (e) => this.set({ registration: 'failed', problem: String(e.cause ?? 'registration failed') }));
    ua.on('disconnected', () => { if (this.ua === ua && this.snapshot.registration === 'registered') this.set({ registration: 'connecting' }); });
    ua.on('newRTCSession', (e: RTCSessionEvent) => {
      const session = e.session;
      if (e.originator !== 'remote') return;
      if (this.session) {
        session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
        return;
      }
      this.track(session, 'incoming', session.remote_identity.uri.user, session.remote_identity.display_name || undefined);
    });
    ua.start();
  }

  stop(): void {
    this.session?.terminate();
    this.ua?.stop();
    this.ua = undefined;
    this.set({ registration: 'off' });
  }

  private track(session: RTCSession, direction: PhoneCall['direction'], remote: string, remoteName?: string): void {
    this.session = session;
    this.set({ call: { direction, remote, ...(remoteName ? { remoteName } : {}), status: direction === 'incoming' ? 'ringing' : 'dialing', held: false, muted: false, digits: '', startedAt: Date.now() } });
    const attach = (pc: RTCPeerConnection) => {
      pc.addEventListener('track', (event) => {
        const [stream] = event.streams;
        if (stream) this.audio.srcObject = stream;
      });
    };
    // For outgoing calls the peer connection exists before any handler could attach (notes).
    if (session.connection) attach(session.connection);
    else session.on('peerconnection', (e) => attach(e.peerconnection));
    session.on('confirmed', () => this.setCall({ status: 'connected', connectedAt: Date.now() }));
    session.on('hold', () => this.setCall({ held: true }));
    session.on('unhold', () => this.setCall({ held: false }));
    const ended = (cause: string) => {
      if (this.session !== session) return;
      this.session = undefined;
      this.audio.srcObject = null;
      this.setCall({ status: 'ended', endCause: cause });
    };
    session.on('ended', (e) => ended(String(e.cause)));
    session.on('failed', (e) => ended(String(e.cause)));
  }

  answer(): void {
    if (this.session && this.snapshot.call?.status === 'ringing') {
      this.session.answer({ mediaConstraints: { audio: AUDIO, video: false }, pcConfig: { iceServers: [] } });
    }
  }

  dial(number: string): void {
    if (!this.ua || this.session) return;
    const target = `sip:${number}@${new URL(`http://${this.account.uri.split('@')[1] ?? 'deskline'}`).hostname}`;
    const session = this.ua.call(target, { mediaConstraints: { audio: AUDIO, video: false }, pcConfig: { iceServers: [] } });
    this.track(session, 'outgoing', number);
  }

  hangup(): void {
    this.session?.terminate();
  }

  toggleHold(): void {
    if (!this.session || this.snapshot.call?.status !== 'connected') return;
    if (this.session.isOnHold().local) this.session.unhold();
    else this.session.hold();
  }

  toggleMute(): void {
    if (!this.session || this.snapshot.call?.status !== 'connected') return;
    const muted = this.session.isMuted().audio;
    if (muted) this.session.unmute({ audio: true });
    else this.session.mute({ audio: true });
    this.setCall({ muted: !muted });
  }

  dtmf(digit: string): void {
    if (!this.session || this.snapshot.call?.status !== 'connected' || !/^[0-9*#A-D]$/.test(digit)) return;
    this.session.sendDTMF(digit, { duration: 160, interToneGap: 80 });
    this.setCall({ digits: (this.snapshot.call?.digits ?? '') + digit });
  }

  /** The call is over and shown as such; clear it away. */
  dismiss(): void {
    if (this.snapshot.call?.status === 'ended') this.set({ call: undefined });
  }
}
