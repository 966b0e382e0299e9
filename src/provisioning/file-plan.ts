// Files provisioning owns: compared with what is on disk, shown as a diff in a dry run (secrets
// masked), written atomically (temp file + rename, mode and owner set before the rename) only
// when their text differs, so a second run touches nothing.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface PlannedFile {
  path: string;
  text: string;
  mode: number;
  owner?: { uid: number; gid: number };
  /** The whole file is a secret: never shown, not even as a diff. */
  secret?: boolean;
}

export interface FileChange {
  file: PlannedFile;
  kind: 'create' | 'update' | 'same';
  /** Unified diff of an update (secret values masked); empty otherwise. */
  diff: string;
}

const secretLine = /^(\s*(?:password|md5_cred)\s*=\s*).*$/gm;
export const maskSecrets = (text: string) => text.replace(secretLine, '$1(secret)');

/** `diff -u` (diffutils is Essential in Debian), with secret values masked on both sides. */
export async function unifiedDiff(before: string, after: string, label: string): Promise<string> {
  const dir = await mkdtemp(`${tmpdir()}/deskline-diff-`);
  try {
    await writeFile(`${dir}/a`, maskSecrets(before));
    await writeFile(`${dir}/b`, maskSecrets(after));
    try {
      await execFileAsync('diff', ['-u', '--label', `${label} (now)`, '--label', `${label} (provisioned)`, `${dir}/a`, `${dir}/b`], { maxBuffer: 64 * 1024 * 1024 });
      return '';
    } catch (error) {
      const e = error as { code?: number; stdout?: string };
      if (e.code === 1) return e.stdout ?? '';
      throw error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function compareFile(file: PlannedFile): Promise<FileChange> {
  let before: string | undefined;
  try {
    before = await readFile(file.path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (before === undefined) return { file, kind: 'create', diff: '' };
  if (before === file.text) {
    // Same text, but a mode or owner that drifted is still a change worth making.
    const info = await stat(file.path);
    const drifted = (info.mode & 0o7777) !== file.mode || (file.owner && (info.uid !== file.owner.uid || info.gid !== file.owner.gid));
    return { file, kind: drifted ? 'update' : 'same', diff: '' };
  }
  return { file, kind: 'update', diff: file.secret ? '' : await unifiedDiff(before, file.text, file.path) };
}

export async function writeAtomically(file: PlannedFile): Promise<void> {
  const temp = `${dirname(file.path)}/.${file.path.split('/').pop()}.deskline-${process.pid}`;
  await writeFile(temp, file.text, { mode: file.mode });
  try {
    if (file.owner) await chown(temp, file.owner.uid, file.owner.gid);
    await chmod(temp, file.mode);
    await rename(temp, file.path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
