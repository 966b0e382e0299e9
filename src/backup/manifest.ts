// manifest.json: what a backup holds and how to check it. It is the archive's last member but one: the
// writer reads every file once, hashing the bytes as they go into the archive, so the checksums
// describe exactly what the archive holds; the reader hashes each member on its first pass and
// compares when the manifest arrives, before restore writes anything.
import { z } from 'zod';
import { isSafeRelativePath } from '../recordings/manifest.ts';

/** Bump when a reader of the old format could not restore the new one. */
export const backupFormatVersion = 1;
export const manifestMember = 'manifest.json';
/**
 * The manifest's own checksum, in sha256sum's format, as the very last member: the manifest's
 * header checksum covers only its header, so without this a flipped bit in, say, the site id
 * would restore unnoticed (the fuzz test found exactly that).
 */
export const manifestSumMember = 'manifest.sha256';
export const storeMember = 'store.jsonl';
export const siteMember = 'site.yaml';
/** Folders in the archive and what they hold; a member outside these (and the files above) is damage. */
export const fileRoots = ['media', 'recordings', 'knowledge-audio'] as const;
export type FileRoot = (typeof fileRoots)[number];

const memberSchema = z.object({
  path: z.string().refine(isSafeRelativePath, 'must be a relative path inside the archive'),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mode: z.number().int().min(0).max(0o7777),
});

export const manifestSchema = z.object({
  format: z.literal('deskline-backup'),
  formatVersion: z.number().int(),
  desklineVersion: z.string(),
  siteId: z.string(),
  createdAt: z.string(),
  /** "store": read from the data store directly; "service": over the running service's control socket. */
  snapshotFrom: z.enum(['store', 'service']),
  withRecordings: z.boolean(),
  /** The site file's path when the backup was taken (null: built-in defaults, no site.yaml). */
  siteFile: z.string().nullable(),
  store: z.object({ entries: z.number().int().min(0), sections: z.record(z.string(), z.number().int().min(0)) }),
  /** Every member except the manifest itself. */
  members: z.array(memberSchema),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type ManifestMember = z.infer<typeof memberSchema>;

export function rootOf(path: string): FileRoot | undefined {
  const first = path.split('/')[0];
  return (fileRoots as readonly string[]).includes(first ?? '') && path.includes('/') ? (first as FileRoot) : undefined;
}

/** One store entry per line of store.jsonl. */
export interface StoreLine {
  section: string;
  key: string;
  value: unknown;
}
