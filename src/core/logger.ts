import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** JSON lines to stdout (journald keeps them); one child logger per call adds callId/channelId. */
export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'deskline' }, timestamp: pino.stdTimeFunctions.isoTime }, destination as never);
}
