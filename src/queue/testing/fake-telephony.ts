// An in-memory Telephony port for unit tests: it records every request in order, lets a test play
// the phone system's side (emit events to the registered handlers), make chosen requests fail,
// and look at the world at the moment a request is made (hooks run synchronously on the call).
import { TelephonyError, type LinkInfo, type LiveChannel, type Telephony, type TelephonyEvent } from '../../telephony/telephony.ts';

/** Every request method of the port (not the handler registrations). */
export type TelephonyMethod = Exclude<keyof Telephony, 'onEvent' | 'onConnected' | 'link'>;

export type RecordedCall = { [M in TelephonyMethod]: { method: M; args: Parameters<Telephony[M]> } }[TelephonyMethod];

/** An event without its `at`: the fake stamps it from its clock (or 0). */
export type EventInput = TelephonyEvent extends infer E ? (E extends TelephonyEvent ? Omit<E, 'at'> & { at?: number } : never) : never;

interface Failure {
  error: (args: unknown[]) => Error;
  when: (args: unknown[]) => boolean;
  times: number;
}

export class FakeTelephony implements Telephony {
  /** Every request, in the order it was made. */
  readonly calls: RecordedCall[] = [];
  /** What listChannels answers. */
  channels: LiveChannel[] = [];
  /** What listBridges answers. */
  bridges: { id: string; channels: string[] }[] = [];
  linkInfo: LinkInfo = { connected: true, status: 'connected', detail: 'fake', asteriskVersion: 'fake', asteriskStartupTime: undefined };

  private readonly handlers: ((event: TelephonyEvent) => void)[] = [];
  private readonly connectedHandlers: ((info: { reconnect: boolean; asteriskRestarted: boolean }) => void)[] = [];
  private readonly failures = new Map<TelephonyMethod, Failure[]>();
  private readonly hooks = new Map<TelephonyMethod, ((...args: never[]) => void)[]>();

  constructor(private readonly now: () => number = () => 0) {}

  // ---- test controls ------------------------------------------------------------------------

  /**
   * Makes `method` reject (default: TelephonyError FAILED) the next `times` times (default: every
   * time) it is called with arguments `when` accepts (default: any).
   */
  fail<M extends TelephonyMethod>(method: M, options: { error?: Error | ((...args: Parameters<Telephony[M]>) => Error); when?: (...args: Parameters<Telephony[M]>) => boolean; times?: number } = {}): void {
    const { error, when, times = Number.POSITIVE_INFINITY } = options;
    const list = this.failures.get(method) ?? [];
    list.push({
      error: (args) => (typeof error === 'function' ? error(...(args as Parameters<Telephony[M]>)) : (error ?? new TelephonyError('FAILED', `${method} failed (fake)`))),
      when: (args) => (when ? when(...(args as Parameters<Telephony[M]>)) : true),
      times,
    });
    this.failures.set(method, list);
  }

  /** Runs `hook` synchronously each time `method` is called, before its promise settles. */
  onCall<M extends TelephonyMethod>(method: M, hook: (...args: Parameters<Telephony[M]>) => void): void {
    const list = this.hooks.get(method) ?? [];
    list.push(hook as (...args: never[]) => void);
    this.hooks.set(method, list);
  }

  /** Delivers an event to every handler registered through onEvent. */
  emit(event: EventInput): void {
    const full = { ...event, at: event.at ?? this.now() } as TelephonyEvent;
    for (const handler of this.handlers) handler(full);
  }

  /** Plays a (re)connect to every onConnected handler. */
  connect(info: { reconnect: boolean; asteriskRestarted: boolean } = { reconnect: false, asteriskRestarted: false }): void {
    for (const handler of this.connectedHandlers) handler(info);
  }

  /** The argument lists of every call to `method`, in order. */
  callsOf<M extends TelephonyMethod>(method: M): Parameters<Telephony[M]>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as Parameters<Telephony[M]>);
  }

  /**
   * The calls as short strings, "method firstArg" (originate: its channel id), in order;
   * optionally only some methods. Handy for asserting the order of what was asked.
   */
  trace(...methods: TelephonyMethod[]): string[] {
    return this.calls.filter((c) => methods.length === 0 || methods.includes(c.method)).map(describe);
  }

  /** Forgets the calls recorded so far (failures and hooks stay). */
  clearCalls(): void {
    this.calls.length = 0;
  }

  // ---- the port -----------------------------------------------------------------------------

  private request<M extends TelephonyMethod>(method: M, args: Parameters<Telephony[M]>): Promise<void> {
    this.calls.push({ method, args } as RecordedCall);
    for (const hook of this.hooks.get(method) ?? []) (hook as (...a: Parameters<Telephony[M]>) => void)(...args);
    const failure = this.failures.get(method)?.find((f) => f.times > 0 && f.when(args));
    if (failure) {
      failure.times -= 1;
      return Promise.reject(failure.error(args));
    }
    return Promise.resolve();
  }

  answer(...args: Parameters<Telephony['answer']>) {
    return this.request('answer', args);
  }
  play(...args: Parameters<Telephony['play']>) {
    return this.request('play', args);
  }
  stopPlayback(...args: Parameters<Telephony['stopPlayback']>) {
    return this.request('stopPlayback', args);
  }
  async playbackState(...args: Parameters<Telephony['playbackState']>): Promise<string | undefined> {
    await this.request('playbackState', args);
    return undefined;
  }
  hangup(...args: Parameters<Telephony['hangup']>) {
    return this.request('hangup', args);
  }
  async listChannels(...args: Parameters<Telephony['listChannels']>): Promise<LiveChannel[]> {
    await this.request('listChannels', args);
    return [...this.channels];
  }
  record(...args: Parameters<Telephony['record']>) {
    return this.request('record', args);
  }
  snoop(...args: Parameters<Telephony['snoop']>) {
    return this.request('snoop', args);
  }
  originate(...args: Parameters<Telephony['originate']>) {
    return this.request('originate', args);
  }
  startMoh(...args: Parameters<Telephony['startMoh']>) {
    return this.request('startMoh', args);
  }
  stopMoh(...args: Parameters<Telephony['stopMoh']>) {
    return this.request('stopMoh', args);
  }
  addToBridge(...args: Parameters<Telephony['addToBridge']>) {
    return this.request('addToBridge', args);
  }
  removeFromBridge(...args: Parameters<Telephony['removeFromBridge']>) {
    return this.request('removeFromBridge', args);
  }
  recordBridge(...args: Parameters<Telephony['recordBridge']>) {
    return this.request('recordBridge', args);
  }
  pauseRecording(...args: Parameters<Telephony['pauseRecording']>) {
    return this.request('pauseRecording', args);
  }
  resumeRecording(...args: Parameters<Telephony['resumeRecording']>) {
    return this.request('resumeRecording', args);
  }
  stopRecording(...args: Parameters<Telephony['stopRecording']>) {
    return this.request('stopRecording', args);
  }
  async externalMedia(...args: Parameters<Telephony['externalMedia']>): Promise<{ localHost?: string; localPort?: number }> {
    await this.request('externalMedia', args);
    return {};
  }
  bridge(...args: Parameters<Telephony['bridge']>) {
    return this.request('bridge', args);
  }
  destroyBridge(...args: Parameters<Telephony['destroyBridge']>) {
    return this.request('destroyBridge', args);
  }
  async listBridges(...args: Parameters<Telephony['listBridges']>): Promise<{ id: string; channels: string[] }[]> {
    await this.request('listBridges', args);
    return this.bridges.map((b) => ({ id: b.id, channels: [...b.channels] }));
  }
  continueInDialplan(...args: Parameters<Telephony['continueInDialplan']>) {
    return this.request('continueInDialplan', args);
  }
  originateScriptedCall(...args: Parameters<Telephony['originateScriptedCall']>) {
    return this.request('originateScriptedCall', args);
  }
  link(): LinkInfo {
    return this.linkInfo;
  }
  onEvent(handler: (event: TelephonyEvent) => void): void {
    this.handlers.push(handler);
  }
  onConnected(handler: (info: { reconnect: boolean; asteriskRestarted: boolean }) => void): void {
    this.connectedHandlers.push(handler);
  }
}

function describe(call: RecordedCall): string {
  if (call.method === 'originate') return `originate ${call.args[0].channelId}`;
  if (call.method === 'originateScriptedCall') return `originateScriptedCall ${call.args[0].callChannelId}`;
  return call.args.length > 0 ? `${call.method} ${String(call.args[0])}` : call.method;
}
