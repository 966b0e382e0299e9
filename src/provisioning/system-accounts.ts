// The service's system user and folders. Commands run through an injectable runner so tests can
// see what would be run; the defaults are Debian's useradd/usermod/getent.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type Run = (argv: string[]) => Promise<string>;
export const runCommand: Run = async ([file, ...args]) => (await execFileAsync(file!, args, { timeout: 60_000 })).stdout;

export interface Account { uid: number; gid: number; groups: string[] }

export async function lookupUser(name: string, run: Run = runCommand): Promise<Account | undefined> {
  let line: string;
  try {
    line = (await run(['getent', 'passwd', name])).trim();
  } catch {
    return undefined;
  }
  const [, , uid, gid] = line.split(':');
  const groups = (await run(['id', '-nG', name]).catch(() => '')).trim().split(/\s+/).filter(Boolean);
  return { uid: Number(uid), gid: Number(gid), groups };
}

export async function groupExists(name: string, run: Run = runCommand): Promise<boolean> {
  return run(['getent', 'group', name]).then(() => true, () => false);
}

export interface Folder { path: string; mode: number; owner?: { uid: number; gid: number } }

/** What it takes to make a folder exist with its mode and owner: [] when it already does. */
export async function folderDrift(folder: Folder): Promise<string[]> {
  try {
    const info = await stat(folder.path);
    if (!info.isDirectory()) return [`${folder.path} exists but is not a folder`];
    const drift: string[] = [];
    if ((info.mode & 0o7777) !== folder.mode) drift.push(`mode ${(info.mode & 0o7777).toString(8)} → ${folder.mode.toString(8)}`);
    if (folder.owner && (info.uid !== folder.owner.uid || info.gid !== folder.owner.gid)) drift.push(`owner ${info.uid}:${info.gid} → ${folder.owner.uid}:${folder.owner.gid}`);
    return drift;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ['create'];
    throw error;
  }
}

export async function ensureFolder(folder: Folder): Promise<void> {
  await mkdir(folder.path, { recursive: true, mode: folder.mode });
  await chmod(folder.path, folder.mode);
  if (folder.owner) await chown(folder.path, folder.owner.uid, folder.owner.gid);
}
