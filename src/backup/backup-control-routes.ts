// The store snapshot over the control socket, for `deskline backup` while the service runs (it
// holds the LevelDB lock, so the CLI cannot open the store itself). Control socket only: the
// socket is mode 0600, so only root and the service user reach it; never mount this on /api/v1.
// The body is store.jsonl's lines, then one trailer line with the count, so the CLI can tell a
// complete snapshot from one the service broke off (a restart mid-stream).
import { Hono } from 'hono';
import type { SnapshotStore } from '../store/store.ts';

export const backupStorePath = '/control/backup/store';

export interface BackupTrailer {
  end: true;
  entries: number;
}

/** Lines are gathered into chunks of about this size: one write per line is slow on a socket. */
const chunkBytes = 64 * 1024;

export function backupControlRoutes(deps: { store: SnapshotStore }): Hono {
  return new Hono().get(backupStorePath, () => {
    // dump() snapshots now, before the first byte is sent.
    const iterator = deps.store.dump()[Symbol.asyncIterator]();
    let entries = 0;
    let finished = false;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (finished) return;
        let text = '';
        try {
          while (text.length < chunkBytes) {
            const next = await iterator.next();
            if (next.done) {
              const trailer: BackupTrailer = { end: true, entries };
              text += `${JSON.stringify(trailer)}\n`;
              finished = true;
              break;
            }
            entries++;
            text += `${JSON.stringify(next.value)}\n`;
          }
        } catch (error) {
          // No trailer: the client sees a snapshot without its end and refuses it.
          controller.error(error);
          return;
        }
        controller.enqueue(encoder.encode(text));
        if (finished) controller.close();
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' } });
  });
}
