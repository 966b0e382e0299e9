// Login throttling: after `maxFailures` failed logins for one user name within `windowMs`, that
// name is locked for `lockMs`; one address gets a larger allowance across names (password
// spraying). Pure bookkeeping on injected time; kept in memory (a restart forgets it, which
// only a local root can cause), lockouts go to the audit log through the auth service.
//
// The memory is bounded: a spray of made-up names from many addresses must not grow the process
// without limit. Failure histories and locks live in two maps kept in time order (a touched
// history moves to the end; every lock lasts lockMs, so insertion order is expiry order), expired
// entries are swept from the front on every failure, and past `maxTracked` the oldest is evicted
// and counted. Evicting a failure history only forgets a few failures of a name nobody has tried
// for the longest; a lock is evicted only once `maxTracked` newer locks exist, which takes an
// attacker maxTracked × maxFailures password checks (each a full scrypt) inside one lockMs.

export interface ThrottleOptions {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  lockMs: number;
  /** Failure histories, and separately locks, kept at most (default 20 000 each). */
  maxTracked?: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxTracked: 20_000 };

export interface ThrottleStats {
  /** Names and addresses with recent failures. */
  tracked: number;
  /** Names and addresses locked right now (expired locks may linger until the next failure). */
  locked: number;
  /** Entries dropped because the maps were full. */
  evictedFailures: number;
  evictedLocks: number;
}

export class LoginThrottle {
  /** key → failure times inside the window, oldest first; the map's order is last touch. */
  private readonly failures = new Map<string, number[]>();
  /** key → lock end; the map's order is lock start (so also lock end). */
  private readonly locks = new Map<string, number>();
  private readonly maxTracked: number;
  private evictedFailures = 0;
  private evictedLocks = 0;

  constructor(private readonly options: ThrottleOptions = DEFAULT_THROTTLE) {
    this.maxTracked = options.maxTracked ?? 20_000;
    if (!Number.isInteger(this.maxTracked) || this.maxTracked < 1) throw new RangeError(`maxTracked must be a positive integer, got ${String(options.maxTracked)}`);
  }

  /** When the attempt may not even be checked: the time the lock ends. */
  lockedUntil(username: string, address: string, now: number): number | undefined {
    const until = Math.max(this.lockOf(`user:${username}`, now) ?? 0, this.lockOf(`addr:${address}`, now) ?? 0);
    return until > now ? until : undefined;
  }

  /** Records a failure; returns true when this failure locked the name or the address. */
  failed(username: string, address: string, now: number): boolean {
    this.sweep(now);
    const a = this.add(`user:${username}`, now, this.options.maxFailures);
    const b = this.add(`addr:${address}`, now, this.options.maxFailuresPerAddress);
    return a || b;
  }

  /** A successful login clears the name's failures (not the address's). */
  succeeded(username: string): void {
    this.failures.delete(`user:${username}`);
  }

  stats(): ThrottleStats {
    return { tracked: this.failures.size, locked: this.locks.size, evictedFailures: this.evictedFailures, evictedLocks: this.evictedLocks };
  }

  private lockOf(key: string, now: number): number | undefined {
    const until = this.locks.get(key);
    if (until === undefined) return undefined;
    if (until > now) return until;
    this.locks.delete(key);
    return undefined;
  }

  /** Drops expired locks and histories from the front of their maps (amortized O(1) per call). */
  private sweep(now: number): void {
    for (const [key, until] of this.locks) {
      if (until > now) break;
      this.locks.delete(key);
    }
    for (const [key, times] of this.failures) {
      if (now - times[times.length - 1]! < this.options.windowMs) break;
      this.failures.delete(key);
    }
  }

  private add(key: string, now: number, max: number): boolean {
    if (this.lockOf(key, now) !== undefined) return false;
    const times = (this.failures.get(key) ?? []).filter((at) => now - at < this.options.windowMs);
    times.push(now);
    this.failures.delete(key);  // re-inserted at the end: the map stays in last-touch order
    if (times.length >= max) {
      this.lock(key, now + this.options.lockMs);
      return true;
    }
    if (this.failures.size >= this.maxTracked) {
      this.failures.delete(this.failures.keys().next().value!);
      this.evictedFailures++;
    }
    this.failures.set(key, times);
    return false;
  }

  private lock(key: string, until: number): void {
    if (this.locks.size >= this.maxTracked) {
      this.locks.delete(this.locks.keys().next().value!);
      this.evictedLocks++;
    }
    this.locks.set(key, until);
  }
}
