/**
 * Builds snapshots' matchers on a worker thread, so that a publish (or the rebuild on start-up)
 * never holds the event loop that answers calls, ARI events and HTTP: training 10k articles takes
 * tens of seconds of CPU. The main thread only sends the articles (in chunks, yielding between
 * them) and receives the trained states as transferred buffers, which it serves from as they are
 * (matcherFromState): matching stays synchronous and in process.
 *
 * One worker, started on the first build and stopped after a quiet spell: starting one (with its
 * TypeScript loader) costs about a second of CPU, too much to pay per publish when a test or an
 * admin publishes several in a row, and stopping it returns the memory that training used.
 * Builds queue in the worker and run one at a time. A failure of any kind (an error thrown by
 * training, the worker dying, running out of memory) rejects the builds it concerns with a
 * SnapshotBuildError; nothing hangs, the process does not crash, and the next build starts a
 * fresh worker if the old one is gone.
 *
 * Protocol, per build id: main → worker `articles` × n, then `build`; worker → main `built` or `failed`.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Article, Lexicon } from '../matcher/index.ts';
import type { BuiltLanguage, SnapshotBuildInput } from './snapshot-build.ts';

export type ToWorker = { type: 'articles'; id: number; articles: Article[] } | { type: 'build'; id: number; lexicon: Lexicon };
export type FromWorker =
  | { type: 'built'; id: number; languages: BuiltLanguage[] }
  | { type: 'failed'; id: number; error: { name: string; message: string; code?: string; stack?: string } };

export class SnapshotBuildError extends Error {
  /** The worker's own error code when training threw one (e.g. KB_DUPLICATE_ARTICLE), else KB_BUILD_FAILED. */
  readonly code: string;
  constructor(code: string | undefined, message: string, options?: { cause?: unknown }) {
    super(`the knowledge base could not be built: ${message}`, options);
    this.name = 'SnapshotBuildError';
    this.code = code ?? 'KB_BUILD_FAILED';
  }
}

export interface SnapshotWorkerOptions {
  /** Heap limits of the worker thread: running out fails the build, not the appliance. */
  resourceLimits?: ResourceLimits;
  /** How long the worker stays up with nothing to build. */
  idleMs?: number;
}

// Articles per message: each structured clone stays a few milliseconds of main-thread time.
const CHUNK = 500;
const ENTRY = new URL('./snapshot-worker-entry.js', import.meta.url);

interface Pending { worker: Worker; resolve: (languages: BuiltLanguage[]) => void; reject: (error: Error) => void }

export class SnapshotWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: SnapshotWorkerOptions = {}) {}

  async build(input: SnapshotBuildInput): Promise<BuiltLanguage[]> {
    const worker = this.running();
    const id = this.nextId++;
    const answer = new Promise<BuiltLanguage[]>((resolve, reject) => this.pending.set(id, { worker, resolve, reject }));
    // Awaited below; this only keeps a failure while still sending from counting as unhandled.
    answer.catch(() => undefined);
    clearTimeout(this.idleTimer);
    worker.ref();
    try {
      for (let at = 0; at < input.articles.length; at += CHUNK) {
        worker.postMessage({ type: 'articles', id, articles: input.articles.slice(at, at + CHUNK) } satisfies ToWorker);
        await nextTurn();
      }
      worker.postMessage({ type: 'build', id, lexicon: input.lexicon } satisfies ToWorker);
      return await answer;
    } finally {
      this.pending.delete(id);
      if (this.pending.size === 0 && this.worker === worker) this.idle(worker);
    }
  }

  /** Stops the worker; builds in progress fail. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY, this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {});
    worker.on('message', (message: FromWorker) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      if (message.type === 'built') return waiting.resolve(message.languages);
      const failure = new SnapshotBuildError(message.error.code, message.error.message);
      if (message.error.stack) failure.stack = `${failure.stack}\n    --- in the snapshot worker ---\n${message.error.stack}`;
      waiting.reject(failure);
    });
    worker.on('error', (error) => this.lost(worker, new SnapshotBuildError(undefined, `the snapshot worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.lost(worker, new SnapshotBuildError(undefined, `the snapshot worker stopped (exit code ${code}) before answering`)));
    this.worker = worker;
    return worker;
  }

  /** The worker died or was stopped: whatever it was building fails. */
  private lost(worker: Worker, error: Error) {
    if (this.worker === worker) this.worker = undefined;
    for (const waiting of this.pending.values()) if (waiting.worker === worker) waiting.reject(error);
  }

  private idle(worker: Worker) {
    // Idle, the worker must not keep the process alive; after a while it goes.
    worker.unref();
    this.idleTimer = setTimeout(() => { if (this.worker === worker && this.pending.size === 0) void this.close(); }, this.options.idleMs ?? 30_000);
    this.idleTimer.unref();
  }
}

const shared = new SnapshotWorker();

/** The service's builder: the process's one snapshot worker. */
export const buildInWorker = (input: SnapshotBuildInput) => shared.build(input);
