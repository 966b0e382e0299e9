import { once } from 'node:events';
import { rename } from 'node:fs/promises';
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

interface LogFile {
  path: string;
  keep: number;
  destination: ReturnType<typeof pino.destination>;
}

const files = new WeakMap<Logger, LogFile>();

/**
 * JSON lines to stdout (journald keeps them), or to a file when the site sets log.file (a box
 * whose logs a technician collects: logrotate or the fleet's logs.rotate command rotate it, and
 * SIGHUP reopens it). One child logger per call adds callId/channelId.
 */
export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream | { file: string; keep: number }): Logger {
  const options = { level, base: { service: 'deskline' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (destination && 'file' in destination) {
    const file = pino.destination({ dest: destination.file, mkdir: true, sync: false });
    const logger = pino(options, file);
    files.set(logger, { path: destination.file, keep: destination.keep, destination: file });
    process.on('SIGHUP', () => file.reopen());
    return logger;
  }
  return pino(options, destination as never);
}

/** Shifts file → file.1 → … → file.<keep> and reopens; undefined when logging to stdout. */
export async function rotateLogFile(logger: Logger): Promise<{ file: string; kept: number } | undefined> {
  const log = files.get(logger);
  if (!log) return undefined;
  // The file opens asynchronously: a rotation right after start waits for it, then for the
  // lines already written, so none land in the wrong file.
  const destination = log.destination as typeof log.destination & { fd: number };
  if (destination.fd < 0) await once(destination, 'ready');
  await new Promise<void>((resolve, reject) => destination.flush((error) => (error ? reject(error) : resolve())));
  for (let n = log.keep - 1; n >= 1; n--) await rename(`${log.path}.${n}`, `${log.path}.${n + 1}`).catch(() => undefined);
  await rename(log.path, `${log.path}.1`).catch(() => undefined);
  const reopened = once(destination, 'ready');
  destination.reopen();
  await reopened;
  return { file: log.path, kept: log.keep };
}

/** The log file's path, for the diagnostics bundle. */
export const logFileOf = (logger: Logger): string | undefined => files.get(logger)?.path;
