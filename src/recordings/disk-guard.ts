// Keeps recordings from filling the disk: below `recordings.minFreeGb` free on the folders
// recordings are written to, no new recording starts and the running ones are stopped (the
// calls themselves go on). Probed before each recording starts and every few seconds while the
// appliance runs; listeners hear each change (low → the queue stops its recordings, the fleet
// raises its disk-low alarm; back to normal → the alarm clears).
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';

const GB = 1024 ** 3;

export interface SpaceReading {
  /** Free space is below the minimum: recordings must not run. */
  low: boolean;
  /** Free bytes on the fullest of the watched folders' disks. */
  freeBytes: number;
  minFreeBytes: number;
  /** The folder whose disk has the least free space. */
  dir: string;
  at: number;
}

/** Free bytes for an unprivileged writer on the disk of `dir` (statfs bavail, not bfree). */
export type FreeBytesProbe = (dir: string) => Promise<number>;

/** The nearest existing folder of a path (Asterisk creates its recording folder on first use). */
function existing(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

export const statfsFreeBytes: FreeBytesProbe = async (dir) => {
  const fs = await statfs(existing(dir));
  return fs.bavail * fs.bsize;
};

/** What the queue needs of the guard (src/queue/queue-recording.ts). */
export interface RecordingSpace {
  /** Probes now; a change of state is told to the listeners before this resolves. */
  check(): Promise<SpaceReading>;
  /** Called on each change between low and not low (the first reading counts as a change only when low). */
  onChange(listener: (reading: SpaceReading) => void): () => void;
}

export interface DiskGuardOptions {
  /** Folders recordings are written to: Asterisk's recording folder and Deskline's recordings folder. */
  dirs: string[];
  /** recordings.minFreeGb: a function, so a changed setting applies at the next probe. */
  minFreeGb: () => number;
  clock: Clock;
  logger: Logger;
  /** Seconds between two probes while nothing asks (default 5). */
  everyMs?: number;
  /** Tests: a probe that says what they want; by default statfs. */
  freeBytes?: FreeBytesProbe;
}

export class DiskGuard implements RecordingSpace {
  private last: SpaceReading | undefined;
  private readonly listeners = new Set<(reading: SpaceReading) => void>();
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly probe: FreeBytesProbe;

  constructor(private readonly options: DiskGuardOptions) {
    if (options.dirs.length === 0) throw new Error('DiskGuard needs at least one folder to watch');
    this.probe = options.freeBytes ?? statfsFreeBytes;
  }

  /** The last reading (undefined before the first probe). */
  current(): SpaceReading | undefined {
    return this.last;
  }

  onChange(listener: (reading: SpaceReading) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async check(): Promise<SpaceReading> {
    const { dirs, clock } = this.options;
    const minFreeBytes = this.options.minFreeGb() * GB;
    let freeBytes = Infinity;
    let dir = dirs[0]!;
    let failures = 0;
    for (const candidate of dirs) {
      try {
        const free = await this.probe(candidate);
        if (free < freeBytes) [freeBytes, dir] = [free, candidate];
      } catch (error) {
        failures++;
        this.options.logger.warn({ err: error, dir: candidate }, 'recordings disk guard: cannot read free space');
      }
    }
    // Nothing readable: keep the last verdict (a passing glitch must not stop or allow recordings).
    if (failures === dirs.length) return this.last ?? { low: false, freeBytes: NaN, minFreeBytes, dir, at: clock.now() };
    const reading: SpaceReading = { low: freeBytes < minFreeBytes, freeBytes, minFreeBytes, dir, at: clock.now() };
    const changed = reading.low !== (this.last?.low ?? false);
    this.last = reading;
    if (changed) this.announce(reading);
    return reading;
  }

  /** Probes every `everyMs` until stop(). */
  start(): this {
    const every = this.options.everyMs ?? 5_000;
    const tick = async () => {
      await this.check().catch(() => undefined);
      if (!this.stopped) this.timer = this.options.clock.at(this.options.clock.now() + every, () => void tick());
    };
    void tick();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private announce(reading: SpaceReading): void {
    const detail = describeReading(reading);
    if (reading.low) this.options.logger.error(detail, 'recordings disk nearly full: recordings stop and none start until space returns (calls go on)');
    else this.options.logger.info(detail, 'recordings disk has room again: recordings start again');
    for (const listener of this.listeners) {
      try {
        listener(reading);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'recordings disk guard: a listener failed');
      }
    }
  }
}

const round = (gb: number) => Math.round(gb * 1000) / 1000;

/** A reading in words and GB, for logs, alarms and trail notes. */
export function describeReading(reading: SpaceReading): { freeGb: number; minFreeGb: number; dir: string } {
  return { freeGb: round(reading.freeBytes / GB), minFreeGb: round(reading.minFreeBytes / GB), dir: reading.dir };
}
