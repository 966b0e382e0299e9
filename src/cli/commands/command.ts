export interface Command {
  /** One or two words, e.g. "calls list". */
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {
  readonly code = 'CLI_USAGE';
}
