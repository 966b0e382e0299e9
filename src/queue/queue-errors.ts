// The queue capability's errors: each names what is wrong, for the CLI and the API.
export class QueueError extends Error {
  constructor(
    readonly code: 'QUEUE_UNKNOWN' | 'AGENT_UNKNOWN' | 'QUEUE_BUSY' | 'AGENT_BUSY' | 'CALL_NOT_QUEUED' | 'NOT_RECORDING' | 'ALREADY_RECORDING' | 'NOT_CONNECTED' | 'BAD_TARGET' | 'NO_CONSULTATION' | 'TRANSFER_FAILED',
    message: string,
  ) {
    super(message);
  }
}
