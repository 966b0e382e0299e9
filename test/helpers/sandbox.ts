// ava wiring for the sandbox Asterisk: one per test file, always stopped (after everything that
// used it), version printed.
import type { TestFn } from 'ava';
import { startSandbox, type AsteriskSandbox, type SandboxOptions } from '../../src/asterisk/sandbox.ts';
import type { Appliance } from '../../src/app/appliance.ts';
import { startInProcess, tempDir } from './appliance.ts';
import type { Clock } from '../../src/core/clock.ts';

export interface SandboxHandle {
  (): AsteriskSandbox;
  /** Runs before the sandbox stops (last added, first run). */
  cleanup(fn: () => Promise<unknown>): void;
}

export function useSandbox(test: TestFn, options: SandboxOptions = {}): SandboxHandle {
  let sandbox: AsteriskSandbox | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  test.serial.before(async (t) => {
    sandbox = await startSandbox({ name: 'test', ...options });
    t.log(`Asterisk ${sandbox.version} (sandbox, ARI ${sandbox.ariUrl})`);
  });
  test.after.always(async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    await sandbox?.stop();
  });
  const get = (() => {
    if (!sandbox) throw new Error('sandbox not started (test.before failed?)');
    return sandbox;
  }) as SandboxHandle;
  get.cleanup = (fn) => cleanups.push(fn);
  return get;
}

/** Sandbox Asterisk plus an in-process Deskline on a fresh store, for one test file. */
export function useDeskline(
  test: TestFn,
  extraSite: Record<string, unknown> | (() => Promise<Record<string, unknown>>) = {},
  options: { sandbox?: SandboxOptions; clock?: Clock } = {},
): { sandbox: SandboxHandle; appliance: () => Appliance } {
  const sandbox = useSandbox(test, options.sandbox);
  let appliance: Appliance | undefined;
  test.serial.before(async () => {
    const dir = await tempDir();
    sandbox.cleanup(() => dir.remove());
    const site = typeof extraSite === 'function' ? await extraSite() : extraSite;
    appliance = await startInProcess(sandbox(), dir.path, site, options.clock);
    sandbox.cleanup(() => appliance!.stop());
  });
  return {
    sandbox,
    appliance: () => {
      if (!appliance) throw new Error('Deskline not started');
      return appliance;
    },
  };
}
