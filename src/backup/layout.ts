// Where a site keeps what a backup holds, decided exactly as src/app/appliance.ts decides it, so
// backup reads and restore writes the folders the service uses.
import { relative, resolve } from 'node:path';
import type { DesklineConfig } from '../config/schema.ts';
import type { FileRoot } from './manifest.ts';

export interface DataLayout {
  storePath: string;
  /** The LevelDB folder. */
  db: string;
  /** The running service's control socket (never backed up). */
  socket: string;
  roots: Record<FileRoot, string | undefined>;
}

const inside = (child: string, parent: string) => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
};

export function dataLayout(config: DesklineConfig): DataLayout {
  const storePath = resolve(config.store.path);
  // The sandbox Asterisk mounts <store>/media whatever mediaHostDir says (appliance.ts).
  const media = resolve((!config.asterisk.sandbox && config.asterisk.mediaHostDir) || `${storePath}/media`);
  // Recorded answers live in media/knowledge unless knowledge.audioDir puts them elsewhere; only
  // then are they a root of their own (else they would be in the archive twice).
  const audio = config.knowledge.audioDir ? resolve(config.knowledge.audioDir) : undefined;
  return {
    storePath,
    db: `${storePath}/db`,
    socket: `${storePath}/deskline.sock`,
    roots: {
      media,
      recordings: resolve(config.recordings.dir || `${storePath}/recordings`),
      'knowledge-audio': audio && !inside(audio, media) ? audio : undefined,
    },
  };
}
