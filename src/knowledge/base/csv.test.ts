import test from 'ava';
import { CsvError, parseCsv, writeCsv } from './csv.ts';
import { CSV_FUZZ_CI_CASES, runCsvFuzz } from './csv-fuzz-cases.ts';

const cells = (text: string) => parseCsv(text).map((r) => r.cells);

test('given plain and quoted fields, when parsed, then commas, doubled quotes and empty cells are kept', (t) => {
  t.deepEqual(cells('a,b,c\n1,"x, y","say ""hi"""\n,,\n'), [['a', 'b', 'c'], ['1', 'x, y', 'say "hi"'], ['', '', '']]);
});

test('given line breaks inside quotes, when parsed, then the field keeps them and rows report their first line', (t) => {
  const rows = parseCsv('h1,h2\r\n"one\r\ntwo\nthree",x\r\nlast,y');
  t.deepEqual(rows, [
    { cells: ['h1', 'h2'], line: 1 },
    { cells: ['one\r\ntwo\nthree', 'x'], line: 2 },
    { cells: ['last', 'y'], line: 5 },
  ]);
});

test('given CRLF, LF, CR and blank lines, when parsed, then all are row ends and blank lines are skipped', (t) => {
  t.deepEqual(cells('a\r\n\r\nb\rc\n\nd'), [['a'], ['b'], ['c'], ['d']]);
  t.deepEqual(parseCsv('a\n\nb').map((r) => r.line), [1, 3]);
  t.deepEqual(cells('a,\n'), [['a', '']]);
  t.deepEqual(cells(''), []);
});

test('given an unterminated quote, when parsed, then the error names the line where the quote opened', (t) => {
  const error = t.throws(() => parseCsv('a,b\n1,"open\n2,3\n'), { instanceOf: CsvError });
  t.is(error?.code, 'CSV_UNTERMINATED_QUOTE');
  t.is(error?.line, 2);
});

test('given stray quotes, when parsed, then it is an error rather than a guess', (t) => {
  t.is(t.throws(() => parseCsv('a,b"c\n'), { instanceOf: CsvError })?.code, 'CSV_BAD_QUOTE');
  t.is(t.throws(() => parseCsv('x\n"a"b,c\n'), { instanceOf: CsvError })?.line, 2);
});

test('given too many cells or too long a field, when parsed, then the limits are errors', (t) => {
  const limits = { maxRows: 2, maxCells: 3, maxFieldChars: 5 };
  t.is(t.throws(() => parseCsv('a,b,c,d', limits), { instanceOf: CsvError })?.code, 'CSV_TOO_LARGE');
  t.is(t.throws(() => parseCsv('"abcdef"', limits), { instanceOf: CsvError })?.code, 'CSV_TOO_LARGE');
  t.is(t.throws(() => parseCsv('a\nb\nc', limits), { instanceOf: CsvError })?.code, 'CSV_TOO_LARGE');
});

test('given awkward cells, when written and parsed back, then they are equal', (t) => {
  const rows = [['plain', 'with,comma', 'with "quote"', 'multi\nline', 'crlf\r\nline', ' spaced ', '漢字😀', '']];
  t.deepEqual(cells(writeCsv(rows)), rows);
});

// Deterministic PRNG so a failure can be replayed from its seed.
test('given random and mutated input, when parsed, then it returns or throws CsvError and always terminates', (t) => {
  // The cases live in csv-fuzz-cases.ts (`npm run bench -- fuzz` runs them 100×).
  const { failures, outcomes } = runCsvFuzz();
  t.deepEqual(failures.slice(0, 5), []);
  t.log(`${CSV_FUZZ_CI_CASES} fuzz inputs, ${outcomes.rejected} rejected with CsvError`);
});
