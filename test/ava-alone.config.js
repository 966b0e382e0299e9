// Test files that need the machine to themselves: live speech decoding of several calls at once
// (the mixed LM costs RTF ≈ 0.2–0.3 per talking caller). `test/run.sh` runs them after the others.
export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '300s',
  files: ['test/integration/faq-bot.test.ts'],
};
