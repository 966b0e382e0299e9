import { KB_BENCH_HELP, runKbBench } from '../../knowledge/evaluation/kb-bench-command.ts';
import type { Command } from './command.ts';

export const kbBenchCommand: Command = {
  name: 'kb bench',
  summary: 'evaluate the knowledge-base matcher on JSONL {"text","label"} files and print one JSON object',
  help: KB_BENCH_HELP,
  run: (argv) => runKbBench(argv),
};
