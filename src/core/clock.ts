// Time is injected everywhere a decision depends on it, so tests move time instead of waiting.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Calls fn at (or after) the absolute time `at`. */
  at(at: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  at(at, fn) {
    // setTimeout caps near 24.8 days; chain long waits.
    let handle: NodeJS.Timeout;
    const arm = () => {
      const wait = at - Date.now();
      handle = setTimeout(wait > 2 ** 30 ? arm : fn, Math.max(0, Math.min(wait, 2 ** 30)));
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock that only moves when told to; timers due by then fire in deadline order. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  at(at: number, fn: () => void): TimerHandle {
    const timer = { at, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
    this.time = until;
  }
}

/**
 * Real time, shifted to start at a chosen instant: timers run at real speed, while "now" is e.g.
 * a Tuesday 10:00 in Shanghai. Lets real calls exercise business hours at fixed instants, and
 * `advance` jumps time forward (a queue's 60 s relaxation, a 25 h repeat-caller window) without
 * waiting for it: timers that came due fire at once.
 */
export class ShiftedClock implements Clock {
  private offset: number;
  private readonly pending = new Set<{ at: number; fn: () => void; handle?: TimerHandle }>();

  constructor(startAt: number) {
    this.offset = startAt - Date.now();
  }

  /** Sets "now"; timers already armed keep their real-time delays. */
  shiftTo(instant: number): void {
    this.offset = instant - Date.now();
  }

  /** Moves "now" forward by `ms`; armed timers are re-armed against the new time. */
  advance(ms: number): void {
    this.offset += ms;
    for (const timer of this.pending) {
      timer.handle?.cancel();
      this.arm(timer);
    }
  }

  now(): number {
    return Date.now() + this.offset;
  }

  at(at: number, fn: () => void): TimerHandle {
    const timer: { at: number; fn: () => void; handle?: TimerHandle } = { at, fn };
    this.pending.add(timer);
    this.arm(timer);
    return {
      cancel: () => {
        timer.handle?.cancel();
        this.pending.delete(timer);
      },
    };
  }

  private arm(timer: { at: number; fn: () => void; handle?: TimerHandle }): void {
    timer.handle = systemClock.at(timer.at - this.offset, () => {
      this.pending.delete(timer);
      timer.fn();
    });
  }
}
