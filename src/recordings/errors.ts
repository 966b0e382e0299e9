/** Errors of the recording store. Codes are stable: the CLI, the routes and logs match on them. */
export type RecordingErrorCode =
  | 'DESKLINE_RECORDING_BAD_WAV'
  | 'DESKLINE_RECORDING_BAD_META'
  | 'DESKLINE_RECORDING_NOT_FOUND'
  | 'DESKLINE_RECORDING_FILE_MISSING'
  | 'DESKLINE_RECORDING_NO_DIR'
  | 'DESKLINE_RECORDING_BAD_RETENTION'
  /** The recordings disk is below recordings.minFreeGb: no recording starts (the call goes on). */
  | 'DESKLINE_RECORDING_DISK_LOW';

export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  constructor(
    readonly code: RecordingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
