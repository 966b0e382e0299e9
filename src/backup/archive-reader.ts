// Reading a backup archive: the gunzip + tar pipeline with errors turned into clear ones, and the
// full check (every member hashed and compared with manifest.json, store.jsonl parsed and counted)
// that restore runs before it writes anything.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { BackupError, damaged } from './errors.ts';
import { LineSplitter, parseStoreLine } from './jsonl.ts';
import { backupFormatVersion, manifestMember, manifestSchema, manifestSumMember, rootOf, siteMember, storeMember, type BackupManifest } from './manifest.ts';
import { readTar, type TarMember } from './tar.ts';

/** A manifest larger than this is not one a backup wrote (it lists paths and hashes only). */
const maxManifestBytes = 256 * 1024 * 1024;

export interface ArchiveStream {
  members: AsyncGenerator<{ member: TarMember; body: AsyncIterable<Buffer> }>;
  /** Compressed bytes read so far, and the archive's size: for progress. */
  readBytes(): number;
  totalBytes: number;
}

/** Opens FILE as gzip'd tar. Errors of the gzip layer become DESKLINE_BACKUP_DAMAGED naming `current()`. */
export async function openArchive(file: string): Promise<ArchiveStream> {
  const totalBytes = await stat(file).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      throw new BackupError('DESKLINE_BACKUP_SOURCE', `cannot read the backup ${file}: ${error.code ?? error.message}`, undefined, { cause: error });
    },
  );
  let read = 0;
  const input = createReadStream(file);
  input.on('data', (chunk) => (read += chunk.length));
  const gunzip = createGunzip();
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  let current: string | undefined;
  async function* decompressed(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const what = code === 'Z_BUF_ERROR' ? 'truncated (the compressed stream ends early)' : code === 'Z_DATA_ERROR' ? `not gzip data or corrupted (${(error as Error).message})` : (error as Error).message;
      throw damaged(what, current, error);
    }
  }
  async function* members() {
    try {
      for await (const item of readTar(decompressed())) {
        current = item.member.name;
        yield item;
      }
    } finally {
      input.destroy();
      gunzip.destroy();
    }
  }
  return { members: members(), readBytes: () => read, totalBytes };
}

/** Which members are allowed at all (the manifest then says which must be there). */
export function checkMemberName(name: string): void {
  if (name === manifestMember || name === manifestSumMember || name === storeMember || name === siteMember || rootOf(name)) return;
  throw damaged('not a member a Deskline backup holds', name);
}

export interface VerifiedBackup {
  manifest: BackupManifest;
  archiveBytes: number;
}

/**
 * Reads the whole archive once: every member hashed, store.jsonl parsed line by line and counted
 * per section, then all of it compared with manifest.json. Throws on the first problem, naming
 * the member; writes nothing.
 */
export async function verifyBackup(file: string, onProgress?: (readBytes: number, totalBytes: number) => void): Promise<VerifiedBackup> {
  const archive = await openArchive(file);
  const seen = new Map<string, { size: number; sha256: string; mode: number }>();
  const sections: Record<string, number> = {};
  let manifestText: string | undefined;
  let manifestSha: string | undefined;
  let manifestSum: string | undefined;
  for await (const { member, body } of archive.members) {
    onProgress?.(archive.readBytes(), archive.totalBytes);
    if (member.type === 'directory') continue; // tar tools add folders; they carry nothing
    checkMemberName(member.name);
    if (seen.has(member.name)) throw damaged('appears twice in the archive', member.name);
    if (manifestSum !== undefined) throw damaged('comes after manifest.sha256, which a backup writes last', member.name);
    if (member.name === manifestSumMember) {
      if (manifestText === undefined) throw damaged('comes before manifest.json', member.name);
      if (member.size > 1024) throw damaged(`${member.size} bytes is too large`, member.name);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk);
      manifestSum = Buffer.concat(chunks).toString('utf8');
      continue;
    }
    if (manifestText !== undefined) throw damaged('comes after manifest.json, which a backup writes last but one', member.name);
    if (member.name === manifestMember) {
      if (member.size > maxManifestBytes) throw damaged(`${member.size} bytes is too large for a manifest`, member.name);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      manifestText = bytes.toString('utf8');
      manifestSha = createHash('sha256').update(bytes).digest('hex');
      continue;
    }
    const hash = createHash('sha256');
    let size = 0;
    const splitter = member.name === storeMember ? new LineSplitter() : undefined;
    const countLines = (texts: string[]) => {
      const first = splitter!.number - texts.length + 1;
      for (const [i, text] of texts.entries()) {
        if (text === '') continue;
        const entry = parseStoreLine(text);
        if ('problem' in entry) throw damaged(`line ${first + i}: ${entry.problem}`, member.name);
        sections[entry.section] = (sections[entry.section] ?? 0) + 1;
      }
    };
    for await (const chunk of body) {
      hash.update(chunk);
      size += chunk.length;
      if (splitter) countLines(splitter.push(chunk));
    }
    if (splitter) countLines(splitter.end());
    seen.set(member.name, { size, sha256: hash.digest('hex'), mode: member.mode });
  }
  onProgress?.(archive.readBytes(), archive.totalBytes);
  if (manifestText === undefined) throw damaged('no manifest.json: the archive is truncated, or not a Deskline backup');
  if (manifestSum === undefined) throw damaged('no manifest.sha256 after manifest.json: the archive is truncated');
  if (manifestSum !== `${manifestSha}  ${manifestMember}\n`) throw damaged(`its sha256 ${manifestSha} does not match manifest.sha256`, manifestMember);
  let raw: unknown;
  try {
    raw = JSON.parse(manifestText);
  } catch {
    throw damaged('not JSON', manifestMember);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== backupFormatVersion) {
    throw new BackupError('DESKLINE_BACKUP_FORMAT', `the backup has format version ${version}; this Deskline reads version ${backupFormatVersion}${version > backupFormatVersion ? ': restore it with the Deskline version that wrote it, or newer' : ''}`, manifestMember);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw damaged(`${issue.path.join('.') || '(top level)'}: ${issue.message}`, manifestMember);
  }
  const manifest = parsed.data;
  const listed = new Set<string>();
  for (const expected of manifest.members) {
    if (listed.has(expected.path)) throw damaged(`lists ${expected.path} twice`, manifestMember);
    listed.add(expected.path);
    const actual = seen.get(expected.path);
    if (!actual) throw damaged('listed in manifest.json but missing from the archive', expected.path);
    if (actual.size !== expected.size) throw damaged(`size ${actual.size}, manifest.json says ${expected.size}`, expected.path);
    if (actual.sha256 !== expected.sha256) throw damaged(`sha256 ${actual.sha256} does not match manifest.json (${expected.sha256})`, expected.path);
  }
  for (const name of seen.keys()) if (!listed.has(name)) throw damaged('in the archive but not listed in manifest.json', name);
  if (!listed.has(storeMember)) throw damaged('manifest.json lists no store.jsonl', manifestMember);
  const counted = Object.values(sections).reduce((a, b) => a + b, 0);
  if (counted !== manifest.store.entries) throw damaged(`${counted} entries, manifest.json says ${manifest.store.entries}`, storeMember);
  for (const [section, count] of Object.entries(manifest.store.sections)) {
    if ((sections[section] ?? 0) !== count) throw damaged(`section ${section} has ${sections[section] ?? 0} entries, manifest.json says ${count}`, storeMember);
  }
  return { manifest, archiveBytes: archive.totalBytes };
}
