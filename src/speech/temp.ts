/** Per-process temporary directory for generated models, removed at exit. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];
let hooked = false;

export function tempDirFor(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `deskline-${prefix}`));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  return dir;
}
