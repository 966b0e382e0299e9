// Stable codes for everything backup and restore refuse. They start with DESKLINE_ so the CLI
// (src/cli/main.ts) prints the message alone, without a stack: each one says what to do.
export type BackupErrorCode =
  /** The archive is not what a backup wrote: truncated, bit-flipped, bad checksum, unknown member. */
  | 'DESKLINE_BACKUP_DAMAGED'
  /** Written by a newer (or unknown) backup format. */
  | 'DESKLINE_BACKUP_FORMAT'
  /** The target data dir already holds a store or media (restore without --force). */
  | 'DESKLINE_BACKUP_TARGET_NOT_EMPTY'
  /** Restore onto a data store the running service holds. */
  | 'DESKLINE_BACKUP_SERVICE_RUNNING'
  /** Something to back up could not be read (service snapshot broke off, a file changed size). */
  | 'DESKLINE_BACKUP_SOURCE';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    /** The archive member the problem is in, when there is one. */
    readonly member?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const damaged = (message: string, member?: string, cause?: unknown) =>
  new BackupError('DESKLINE_BACKUP_DAMAGED', member ? `damaged backup: ${member}: ${message}` : `damaged backup: ${message}`, member, { cause });
