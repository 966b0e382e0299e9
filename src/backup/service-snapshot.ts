// Reads the running service's store snapshot (backup-control-routes.ts) over the control socket.
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import type { StoreEntry } from '../store/store.ts';
import { backupStorePath, type BackupTrailer } from './backup-control-routes.ts';
import { BackupError } from './errors.ts';

const sourceError = (message: string, cause?: unknown) => new BackupError('DESKLINE_BACKUP_SOURCE', message, undefined, { cause });

/** Every entry of the service's store; throws DESKLINE_BACKUP_SOURCE unless the trailer arrived and its count matches. */
export async function* serviceSnapshot(socketPath: string): AsyncGenerator<StoreEntry> {
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = request({ socketPath, method: 'GET', path: backupStorePath }, resolve);
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
          ? sourceError(`the data store is locked by another process, but no Deskline service answers on ${socketPath}: stop whatever holds the store, or give --socket`, error)
          : sourceError(`control socket ${socketPath}: ${error.message}`, error),
      ),
    );
    req.end();
  });
  if (response.statusCode !== 200) {
    response.resume();
    throw sourceError(
      response.statusCode === 404
        ? `the running service does not offer ${backupStorePath} (older Deskline, or the backup routes are not mounted on its control socket): stop the service and back up again`
        : `the running service answered ${response.statusCode} to ${backupStorePath}`,
    );
  }
  let entries = 0;
  let trailer: BackupTrailer | undefined;
  try {
    for await (const line of createInterface({ input: response, crlfDelay: Infinity })) {
      if (line === '') continue;
      if (trailer) throw sourceError('the service sent data after the end of its snapshot');
      const parsed = JSON.parse(line) as StoreEntry | BackupTrailer;
      if ('end' in parsed && parsed.end === true) {
        trailer = parsed;
        continue;
      }
      entries++;
      yield parsed as StoreEntry;
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw sourceError(`the service's snapshot broke off after ${entries} entries: ${(error as Error).message}`, error);
  }
  if (!trailer) throw sourceError(`the service's snapshot broke off after ${entries} entries (no end line): was the service restarted? back up again`);
  if (trailer.entries !== entries) throw sourceError(`the service's snapshot says ${trailer.entries} entries, ${entries} arrived`);
}
