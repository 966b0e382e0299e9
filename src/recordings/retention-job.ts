// Runs retention inside the appliance: once at start, then every `everyMs`. Retention reads the
// store, so it cannot run from the CLI while the service holds the store's lock.
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { RecordingStore } from './recording-store.ts';

export interface RetentionJobOptions {
  recordings: Pick<RecordingStore, 'applyRetention'>;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  /** Default: hourly. */
  everyMs?: number;
}

export interface RetentionJob {
  stop(): void;
  /** Resolves when the run in progress, if any, has finished (for tests and shutdown). */
  idle(): Promise<void>;
}

export function startRetentionJob(options: RetentionJobOptions): RetentionJob {
  const { recordings, clock, logger, retentionDays, everyMs = 3_600_000 } = options;
  let timer: TimerHandle | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const run = () => {
    running = recordings
      .applyRetention(retentionDays)
      .then(
        (deleted) => {
          if (deleted.length) logger.info({ deleted: deleted.length, retentionDays }, 'retention deleted old recordings');
        },
        (error: unknown) => logger.error({ err: error, retentionDays }, 'recording retention failed; retrying at the next run'),
      )
      .finally(() => {
        if (!stopped) timer = clock.at(clock.now() + everyMs, run);
      });
  };
  timer = clock.at(clock.now(), run);
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
    idle: () => running,
  };
}
