/**
 * Runs inside the snapshot worker (started through snapshot-worker-entry.js): collects the
 * articles the main thread sends in chunks, trains every language's matcher and posts the
 * trained states back as transfers. Builds run one at a time, in the order asked. Protocol in
 * snapshot-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { transferablesOf, type Article } from '../matcher/index.ts';
import { buildLanguages } from './snapshot-build.ts';
import type { FromWorker, ToWorker } from './snapshot-worker.ts';

const port = parentPort;
if (!port) throw new Error('snapshot-worker-thread.ts runs only as a worker thread');

const received = new Map<number, Article[]>();
port.on('message', (message: ToWorker) => {
  if (message.type === 'articles') {
    const articles = received.get(message.id) ?? [];
    for (const article of message.articles) articles.push(article);
    received.set(message.id, articles);
    return;
  }
  const articles = received.get(message.id) ?? [];
  received.delete(message.id);
  try {
    const languages = buildLanguages({ articles, lexicon: message.lexicon });
    port.postMessage({ type: 'built', id: message.id, languages } satisfies FromWorker, languages.flatMap((l) => transferablesOf(l.state)));
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const { code } = e as { code?: unknown };
    port.postMessage({ type: 'failed', id: message.id, error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}), ...(e.stack ? { stack: e.stack } : {}) } } satisfies FromWorker);
  }
});
