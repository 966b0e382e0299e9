import { withCallerStack } from './errors.ts';

/**
 * Runs native operations on one engine object one at a time, in call order (the addon refuses
 * overlapping work with BUSY). A failure does not stop the queue, and its error gets the stack of
 * the public method's caller.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const caller = new Error().stack;
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      throw withCallerStack(error, caller);
    });
  }
}
