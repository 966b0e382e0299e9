// Watching the event loop turn, for this folder's tests and the kb benchmark: the longest time
// between two turns, in wall-clock time and, where Linux tells (per-thread schedstat), in CPU
// time of the main thread. The second is what our code held the loop for; the first also counts
// time the OS gave the core to other processes (on a loaded 2-core box: gaps of 400 ms wall with
// 3 ms of our CPU in them).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface EventLoopWatch {
  /** Stops watching; the longest gaps seen. `maxBusyMs` is undefined where the OS does not say. */
  stop(): { maxGapMs: number; maxBusyMs: number | undefined; turns: number };
}

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

/** Main-thread CPU time in ms (Linux), or undefined. */
function mainThreadCpuMs(): number | undefined {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

// A timer, not a setImmediate loop: that would keep the main thread busy and compete for the
// cores it is meant to observe. A gap is therefore at least this long.
const TICK_MS = 5;

export function watchEventLoop(): EventLoopWatch {
  let last = performance.now(), lastCpu = mainThreadCpuMs();
  let maxGapMs = 0, maxBusyMs: number | undefined = lastCpu === undefined ? undefined : 0, turns = 0, stopped = false;
  const turn = () => {
    const now = performance.now(), cpu = mainThreadCpuMs();
    maxGapMs = Math.max(maxGapMs, now - last);
    if (cpu !== undefined && lastCpu !== undefined) maxBusyMs = Math.max(maxBusyMs ?? 0, cpu - lastCpu);
    last = now; lastCpu = cpu; turns++;
    if (!stopped) setTimeout(turn, TICK_MS);
  };
  setTimeout(turn, TICK_MS);
  return {
    stop() {
      stopped = true;
      turn();
      const round = (n: number) => Math.round(n * 10) / 10;
      return { maxGapMs: round(maxGapMs), maxBusyMs: maxBusyMs === undefined ? undefined : round(maxBusyMs), turns };
    },
  };
}
