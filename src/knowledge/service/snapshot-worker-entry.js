// Entry point of the snapshot worker (see snapshot-worker.ts). Plain JavaScript because a worker
// thread does not inherit the TypeScript loader: not the one src/cli/deskline.js registers on
// the appliance, nor the `--import tsx` of tests and benchmarks. So the worker registers tsx
// itself, as deskline.js does, and then loads the TypeScript that does the work.
import { register } from 'tsx/esm/api';

register();
await import('./snapshot-worker-thread.ts');
