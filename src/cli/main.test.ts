import test from 'ava';
import { main } from './main.ts';
import { commands } from './commands/index.ts';

function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const original = { log: console.log, error: console.error };
  let out = '';
  console.log = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  console.error = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  return fn().then(
    (code) => {
      Object.assign(console, original);
      return { code, out };
    },
    (error) => {
      Object.assign(console, original);
      throw error;
    },
  );
}

for (const command of commands) {
  test.serial(`given "deskline ${command.name} --help", when run, then it prints its usage and exits 0`, async (t) => {
    const { code, out } = await capture(() => main([...command.name.split(' '), '--help']));
    t.is(code, 0);
    t.regex(out, new RegExp(`^Usage: deskline ${command.name}`));
  });
}

test.serial('given an unknown command, when run, then exit 2 with the command list', async (t) => {
  const { code, out } = await capture(() => main(['frobnicate']));
  t.is(code, 2);
  t.regex(out, /unknown command "frobnicate"/);
  t.regex(out, /test-call/);
});

test.serial('given an unknown option, when run, then one clear line and the usage, no stack', async (t) => {
  const { code, out } = await capture(() => main(['calls', 'list', '--colour']));
  t.is(code, 1);
  t.regex(out, /deskline calls list: Unknown option '--colour'/);
  t.notRegex(out, /\n\s+at /);
});
