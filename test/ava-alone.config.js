// Test files that need the machine to themselves, one at a time: live speech decoding of several
// calls at once (the mixed LM costs RTF ≈ 0.2–0.3 per talking caller), and the fault scenarios,
// whose promises have time bounds ("under control within 3 s", "error branch within the timeout")
// that a box starved by other test files would break. `test/run.sh` runs them after the others.
export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '300s',
  concurrency: 1,
  files: ['test/integration/faq-bot.test.ts', 'test/integration/faults-*.test.ts'],
};
