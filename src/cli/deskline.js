#!/usr/bin/env node
// Entry point of the `deskline` command. TypeScript runs through tsx's loader (no build step on
// the appliance); the real work is in main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
