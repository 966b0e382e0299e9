// A small RFC 4180 CSV reader and writer. Strict about quotes (a stray quote is an error, not a
// guess) and bounded: every loop step consumes input, so any input terminates.

export type CsvErrorCode = 'CSV_UNTERMINATED_QUOTE' | 'CSV_BAD_QUOTE' | 'CSV_TOO_LARGE';

export class CsvError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    message: string,
    /** 1-based line in the file where the problem starts */
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

export interface CsvRow {
  cells: string[];
  /** 1-based file line where the row starts (rows can span lines inside quotes) */
  line: number;
}

export interface CsvLimits {
  maxRows: number;
  maxCells: number;
  maxFieldChars: number;
}

// A field may be bigger than any article limit so the article schema, not the parser, names
// the oversize field and row.
export const DEFAULT_CSV_LIMITS: CsvLimits = { maxRows: 200_000, maxCells: 64, maxFieldChars: 4_000_000 };

/**
 * Parses CSV text (BOM already removed). Line breaks may be CRLF, LF or CR. Quoted fields may hold
 * commas, doubled quotes and line breaks. Blank lines are skipped.
 */
export function parseCsv(text: string, limits: CsvLimits = DEFAULT_CSV_LIMITS): CsvRow[] {
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const rowLine = line;
    const cells: string[] = [];
    // One iteration per field; each consumes at least its delimiter or the end of the input.
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        const quoteLine = line;
        let parts = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) throw new CsvError('CSV_UNTERMINATED_QUOTE', 'quoted field is never closed', quoteLine);
          parts += text.slice(from, q);
          if (text.charCodeAt(q + 1) === 34) {
            parts += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        line += countLineBreaks(parts);
        value = parts;
        const next = text.charCodeAt(i);
        if (i < n && next !== 44 && next !== 10 && next !== 13) {
          throw new CsvError('CSV_BAD_QUOTE', 'text after a closing quote (quotes inside a field must be doubled)', line);
        }
      } else {
        let end = i;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34) throw new CsvError('CSV_BAD_QUOTE', 'quote inside an unquoted field (quote the whole field)', line);
          end++;
        }
        value = text.slice(i, end);
        i = end;
      }
      if (value.length > limits.maxFieldChars) throw new CsvError('CSV_TOO_LARGE', `field longer than ${limits.maxFieldChars} characters`, line);
      cells.push(value);
      if (cells.length > limits.maxCells) throw new CsvError('CSV_TOO_LARGE', `more than ${limits.maxCells} cells in a row`, rowLine);
      const c = text.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      // end of row: a line break or the end of the input
      if (c === 13) i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      else if (c === 10) i++;
      if (i <= n && (c === 13 || c === 10)) line++;
      break;
    }
    if (!(cells.length === 1 && cells[0] === '')) {
      rows.push({ cells, line: rowLine });
      if (rows.length > limits.maxRows) throw new CsvError('CSV_TOO_LARGE', `more than ${limits.maxRows} rows`, rowLine);
    }
  }
  return rows;
}

function countLineBreaks(s: string): number {
  let count = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 10) count++;
    else if (c === 13 && s.charCodeAt(k + 1) !== 10) count++;
  }
  return count;
}

/** Writes rows with CRLF line ends, quoting only fields that need it. */
export function writeCsv(rows: string[][]): string {
  return rows.map((cells) => cells.map(quoteCell).join(',')).join('\r\n') + '\r\n';
}

function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
