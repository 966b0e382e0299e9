// Checks the recordings folder against its manifest, reading nothing else: it runs from the CLI
// while the appliance holds the data store's lock.
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordingError } from './errors.ts';
import { hashFile } from './durable-files.ts';
import { isTombstone, manifestName, readManifest, type ManifestEntry, type ManifestTombstone } from './manifest.ts';

export type VerifyProblem =
  | { kind: 'bad-manifest-line'; line: number; message: string }
  | { kind: 'missing'; id: string; path: string }
  | { kind: 'size-mismatch'; id: string; path: string; expected: number; actual: number }
  | { kind: 'hash-mismatch'; id: string; path: string; expected: string; actual: string }
  | { kind: 'unreadable'; id: string; path: string; message: string }
  | { kind: 'not-in-manifest'; path: string }
  /** Retention wrote its tombstone but the file is still there (a crash between the two). */
  | { kind: 'deleted-but-present'; id: string; path: string };

export interface VerifyReport {
  root: string;
  /** Manifest entries checked (files that should be present). */
  checked: number;
  /** Their bytes, as found on disk. */
  bytes: number;
  /** Files the manifest records as deleted by retention. */
  deleted: number;
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /** Called every `progressEvery` checked files, and at the end (unless just called). */
  onProgress?: (checked: number, total: number) => void;
  progressEvery?: number;
}

export function describeProblem(problem: VerifyProblem): string {
  switch (problem.kind) {
    case 'bad-manifest-line':
      return `${manifestName}:${problem.line}: bad manifest line: ${problem.message}`;
    case 'missing':
      return `${problem.path}: missing (recording ${problem.id})`;
    case 'size-mismatch':
      return `${problem.path}: size mismatch: manifest says ${problem.expected} bytes, file has ${problem.actual}`;
    case 'hash-mismatch':
      return `${problem.path}: hash mismatch: manifest says sha256 ${problem.expected}, file has ${problem.actual}`;
    case 'unreadable':
      return `${problem.path}: cannot read: ${problem.message}`;
    case 'not-in-manifest':
      return `${problem.path}: file not in manifest`;
    case 'deleted-but-present':
      return `${problem.path}: deleted by retention (recording ${problem.id}) but still present`;
  }
}

/** Every file under `root` (relative, '/'-separated), except the manifest itself. */
async function listFiles(root: string): Promise<Set<string>> {
  const files = new Set<string>();
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(relative ? join(root, relative) : root, { withFileTypes: true });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (path !== manifestName) files.add(path);
    }
  };
  await walk('');
  return files;
}

export async function verifyRecordings(root: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const rootStat = await stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) throw new RecordingError('DESKLINE_RECORDING_NO_DIR', `no recordings folder at ${root}`);
  // List the folder before reading the manifest: a file the appliance stores meanwhile is then
  // either not listed yet or already in the manifest (the appliance writes its manifest line
  // right after the move, so only a listing in that instant can see it as a stray).
  const files = await listFiles(root);

  const problems: VerifyProblem[] = [];
  const live = new Map<string, ManifestEntry>();
  const deleted = new Map<string, ManifestTombstone>();
  for await (const { lineNumber, line } of readManifest(root)) {
    if ('problem' in line) problems.push({ kind: 'bad-manifest-line', line: lineNumber, message: line.problem });
    else if (isTombstone(line)) {
      live.delete(line.path);
      deleted.set(line.path, line);
    } else {
      deleted.delete(line.path);
      live.set(line.path, line);
    }
  }

  const report: VerifyReport = { root, checked: 0, bytes: 0, deleted: deleted.size, problems };
  const every = options.progressEvery ?? 500;
  for (const entry of live.values()) {
    files.delete(entry.path);
    const problem = await checkEntry(root, entry, report);
    if (problem) problems.push(problem);
    report.checked++;
    if (report.checked % every === 0) options.onProgress?.(report.checked, live.size);
  }
  if (report.checked % every !== 0) options.onProgress?.(report.checked, live.size);

  for (const path of [...files].sort()) {
    const tombstone = deleted.get(path);
    if (!tombstone) problems.push({ kind: 'not-in-manifest', path });
    // Retention may have unlinked it after the folder was listed; only a file still there counts.
    else if (await lstat(join(root, path)).then(() => true, () => false)) problems.push({ kind: 'deleted-but-present', id: tombstone.id, path });
  }
  return report;
}

async function checkEntry(root: string, entry: ManifestEntry, report: VerifyReport): Promise<VerifyProblem | undefined> {
  const { id, path } = entry;
  const file = join(root, path);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { kind: 'unreadable', id, path, message: 'not a regular file' };
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing', id, path };
    return { kind: 'unreadable', id, path, message: (error as Error).message };
  }
  report.bytes += size;
  // A size that differs already says the file changed; hashing it would add nothing.
  if (size !== entry.bytes) return { kind: 'size-mismatch', id, path, expected: entry.bytes, actual: size };
  try {
    const { sha256 } = await hashFile(file);
    return sha256 === entry.sha256 ? undefined : { kind: 'hash-mismatch', id, path, expected: entry.sha256, actual: sha256 };
  } catch (error) {
    return { kind: 'unreadable', id, path, message: (error as Error).message };
  }
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** One line: the verdict, what was checked, where. */
export function summarizeReport(report: VerifyReport): string {
  const checked = `${report.checked} recording(s) checked (${megabytes(report.bytes)}), ${report.deleted} deleted by retention, in ${report.root}`;
  const count = report.problems.length;
  return count === 0 ? `OK: ${checked}` : `FAILED: ${count} problem(s); ${checked}`;
}
