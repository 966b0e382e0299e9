// Stable codes of the fleet link. Command refusals travel to the fleet on cmd-result; the rest
// are start-up problems (a key or password file that cannot be read).

export type CommandRefusalCode =
  | 'CMD_BAD_MESSAGE' // not JSON, or a field missing / of the wrong type
  | 'CMD_DISABLED' // this box has no commandKey: remote commands are off
  | 'CMD_WRONG_BOX' // addressed to another site or appliance
  | 'CMD_BAD_SIGNATURE'
  | 'CMD_EXPIRED' // issuedAt outside the window: an old (replayed) or far-future command
  | 'CMD_UNKNOWN' // no handler of that name on this box
  | 'CMD_BAD_ARGS'
  | 'CMD_FAILED' // the handler threw
  | 'CMD_RESULT_TOO_LARGE';

export interface CommandRefusal {
  code: CommandRefusalCode;
  message: string;
  details?: unknown;
}

export class FleetError extends Error {
  constructor(
    readonly code: 'FLEET_KEY_UNREADABLE' | 'FLEET_KEY_INVALID' | 'FLEET_FILE_UNREADABLE' | 'FLEET_FILE_MODE' | 'FLEET_TIMEOUT' | 'FLEET_CONNECT_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
