// Reports' errors carry stable codes; the admin API maps them to HTTP (all are 400s: the request
// asked for something the reports cannot answer).
export type ReportErrorCode =
  | 'REPORT_BAD_TIMEZONE'
  | 'REPORT_BAD_RANGE'
  | 'REPORT_RANGE_TOO_LARGE'
  | 'REPORT_BAD_QUERY'
  | 'REPORT_UNSUPPORTED_FILTER';

export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
