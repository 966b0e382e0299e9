// An AuthService on a memory store with cheap scrypt parameters, for tests.
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { AuthService } from './auth-service.ts';
import { hashPassword } from './passwords.ts';

export const CHEAP_HASH = (password: string) => hashPassword(password, { N: 2 ** 10, r: 8, p: 1 });
export const TEST_PASSWORD = 'tea kettle on the hob';

export function authHarness(start = Date.UTC(2026, 10, 24, 9)) {
  const clock = new ManualClock(start);
  const store = new MemoryStore();
  const audited: { actor: string; action: string; target?: string; detail?: Record<string, unknown> }[] = [];
  const auth = new AuthService({ store, clock, hash: CHEAP_HASH, audit: async (entry) => void audited.push(entry) });
  return { clock, store, auth, audited };
}
