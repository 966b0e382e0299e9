// Messages between the system bench (system.ts) and its load driver child process (driver.ts).

export interface DriverInit {
  ariUrl: string;
  ariUser: string;
  ariPassword: string;
  sipPort: number;
  sippScenario: string;
}

export interface StepOrder {
  side: 'deskline' | 'dialplan';
  /** Local-channel callers dial `number` in `context`; sipp callers dial `sipNumber` as endpoint `sipEndpoint`. */
  context: 'deskline-inbound' | 'deskline-native';
  number: string;
  sipNumber: string;
  sipEndpoint: string;
  concurrency: number;
  /** How many of the concurrent callers are sipp (the rest are Local-channel caller scripts). */
  sipSlots: number;
  warmMs: number;
  windowMs: number;
  callDeadlineMs: number;
  transcribeShare: number;
  keyTranscribed: string;
  keyPlain: string;
  /** Playback() names of the phrases callers say once queued. */
  phrases: string[];
  script: { beforeKeySeconds: number; beforeSpeechSeconds: number; afterSpeechSeconds: number };
  sipHoldMs: number;
  progressEvery: number;
}

/** One call as the driver saw it; times are Asterisk's event timestamps (ms since epoch). */
export interface ObservedCall {
  /** The answering channel's id (Deskline's call id for Local callers). */
  id: string;
  via: 'local' | 'sip';
  key: string;
  transcribed?: boolean;
  originatedAt: number;
  answeredAt?: number;
  /** Dialplan reference only: BackGround() (the menu prompt) started; Queue() entered. */
  promptAt?: number;
  queueAt?: number;
  bridgedAt?: number;
  /** The Local caller's script reached its own hang-up (nothing cut the call short). */
  scriptDone?: boolean;
  endedAt?: number;
  error?: string;
  ok: boolean;
}

export interface StepResult {
  calls: ObservedCall[];
  samples: { at: number; live: number }[];
  windowStart: number;
  windowEnd: number;
  sippRuns: number;
  sippFailures: string[];
}

export type DriverMessage =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; line: string }
  | { type: 'window'; edge: 'start' | 'end'; at: number }
  | { type: 'step-done'; result: StepResult }
  | { type: 'error'; message: string };
