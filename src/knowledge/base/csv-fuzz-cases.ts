// Random and mutated text at the CSV parser: it returns rows or throws CsvError, always
// terminates, and what it parses survives a write/parse round trip. Shared by the CI fuzz
// (csv.test.ts, 20 000 inputs) and `npm run bench -- fuzz` (100× that). Seeded.
import { CsvError, parseCsv, writeCsv } from './csv.ts';
import { mulberry32 } from '../../core/seeded-random.ts';

export const CSV_FUZZ_CI_CASES = 20_000;


const cells = (text: string) => parseCsv(text).map((r) => r.cells);

export function runCsvFuzz(options: { cases?: number; seed?: number; progress?: (done: number) => void } = {}) {
  const cases = options.cases ?? CSV_FUZZ_CI_CASES;
  const alphabet = ['"', ',', '\n', '\r', '\r\n', 'a', 'ü', '😀', ' ', '""', '\u0000', '\\', '|'];
  const base = writeCsv([['id', 'title'], ['a', 'x, "y"\nz'], ['b', '']]);
  const random = mulberry32(options.seed ?? 42);
  const failures: string[] = [];
  let rejected = 0;
  for (let run = 0; run < cases; run++) {
    if (options.progress && run > 0 && run % 200_000 === 0) options.progress(run);
    let input: string;
    if (run % 2 === 0) {
      input = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    } else {
      const chars = [...base];
      for (let m = 0; m < 1 + Math.floor(random() * 4); m++) {
        const at = Math.floor(random() * (chars.length + 1));
        const op = random();
        if (op < 0.33) chars.splice(at, 1);
        else if (op < 0.66) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]!);
        else chars[at] = String.fromCharCode(Math.floor(random() * 0x3000));
      }
      input = chars.join('');
    }
    try {
      const rows = parseCsv(input);
      // What parses must survive a write/parse round trip unchanged.
      const parsed = rows.map((r) => r.cells);
      if (JSON.stringify(cells(writeCsv(parsed))) !== JSON.stringify(parsed)) failures.push(`run ${run} does not round-trip: ${JSON.stringify(input)}`);
    } catch (error) {
      if (!(error instanceof CsvError)) failures.push(`run ${run} threw ${String(error)} for ${JSON.stringify(input)}`);
      rejected++;
    }
  }
  return { cases, failures, outcomes: { parsed: cases - rejected, rejected } };
}
