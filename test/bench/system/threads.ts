// CPU seconds per thread name of a process, from /proc/PID/task/*/stat: where Node's CPU goes
// besides the main thread (libuv pool, V8 GC and compiler workers, LevelDB's compaction thread,
// the speech engine). Threads that ended between two readings are lost from the difference.
import { readdirSync, readFileSync } from 'node:fs';

export type ThreadCpu = Map<string, { name: string; seconds: number }>;

export function threadCpu(pid: number): ThreadCpu {
  const threads: ThreadCpu = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, { name, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // the thread ended while being listed
    }
  }
  return threads;
}

/** CPU seconds used between two readings, summed by thread name, largest first. */
export function threadCpuDelta(before: ThreadCpu, after: ThreadCpu): Record<string, number> {
  const byName = new Map<string, number>();
  for (const [tid, t] of after) {
    // Pool threads share a name and a numbered suffix; group them (libuv-worker, V8 DefaultWorke…).
    const name = t.name.replace(/[\s\d]+$/, '') || t.name;
    byName.set(name, (byName.get(name) ?? 0) + t.seconds - (before.get(tid)?.seconds ?? 0));
  }
  return Object.fromEntries([...byName].filter(([, s]) => s >= 0.01).sort((a, b) => b[1] - a[1]).map(([n, s]) => [n, Math.round(s * 100) / 100]));
}
