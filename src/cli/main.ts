import { ConfigError } from '../config/load.ts';
import { StoreError } from '../store/store.ts';
import { commands, type Command } from './commands/index.ts';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'deskline — on-prem contact-center appliance server',
    '',
    'Usage: deskline <command> [options]   (deskline <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

function find(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(usage());
    return argv.length === 0 ? 1 : 0;
  }
  const found = find(argv);
  if (!found) {
    console.error(`deskline: unknown command "${argv.join(' ')}"\n\n${usage()}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    console.log(found.command.help);
    return 0;
  }
  try {
    return await found.command.run(found.rest);
  } catch (error) {
    // Known failures get one clear message; only the unknown get a stack, and then with context.
    if (error instanceof ConfigError) console.error(`deskline: the configuration is not valid:\n  ${error.problems.join('\n  ')}`);
    else if (error instanceof StoreError) console.error(`deskline: ${error.message}`);
    else if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') console.error(`deskline ${found.command.name}: ${(error as Error).message}\n\n${found.command.help}`);
    else if ((error as { code?: string }).code?.startsWith('DESKLINE_') || (error as { code?: string }).code?.startsWith('FLEET_') || (error as { code?: string }).code === 'CLI_USAGE') console.error(`deskline ${found.command.name}: ${(error as Error).message}`);
    else console.error(`deskline ${found.command.name}: unexpected error:`, error);
    return 1;
  }
}
