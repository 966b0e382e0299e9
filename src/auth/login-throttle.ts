// Login throttling: after `maxFailures` failed logins for one user name within `windowMs`, that
// name is locked for `lockMs`; one address gets a larger allowance across names (password
// spraying). Pure bookkeeping on injected time; kept in memory (a restart forgets it, which
// only a local root can cause), lockouts go to the audit log through the auth service.

export interface ThrottleOptions {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 5, maxFailuresPerAddress: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

interface Track {
  failures: number[];
  lockedUntil?: number;
}

export class LoginThrottle {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly options: ThrottleOptions = DEFAULT_THROTTLE) {}

  /** When the attempt may not even be checked: the time the lock ends. */
  lockedUntil(username: string, address: string, now: number): number | undefined {
    const until = Math.max(this.track(`user:${username}`, now)?.lockedUntil ?? 0, this.track(`addr:${address}`, now)?.lockedUntil ?? 0);
    return until > now ? until : undefined;
  }

  /** Records a failure; returns true when this failure locked the name or the address. */
  failed(username: string, address: string, now: number): boolean {
    const a = this.add(`user:${username}`, now, this.options.maxFailures);
    const b = this.add(`addr:${address}`, now, this.options.maxFailuresPerAddress);
    return a || b;
  }

  /** A successful login clears the name's failures (not the address's). */
  succeeded(username: string): void {
    this.tracks.delete(`user:${username}`);
  }

  private track(key: string, now: number): Track | undefined {
    const track = this.tracks.get(key);
    if (!track) return undefined;
    track.failures = track.failures.filter((at) => now - at < this.options.windowMs);
    if (!track.failures.length && !(track.lockedUntil && track.lockedUntil > now)) {
      this.tracks.delete(key);
      return undefined;
    }
    return track;
  }

  private add(key: string, now: number, max: number): boolean {
    const track = this.track(key, now) ?? { failures: [] };
    track.failures.push(now);
    this.tracks.set(key, track);
    if (track.failures.length >= max && !(track.lockedUntil && track.lockedUntil > now)) {
      track.lockedUntil = now + this.options.lockMs;
      track.failures = [];
      return true;
    }
    return false;
  }
}
