#!/usr/bin/env node
// Entry point of the `deskline` command. TypeScript runs through tsx's loader (no build step on
// the appliance); the real work is in main.ts.
import { register } from 'tsx/esm/api';

register();
// `deskline … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
