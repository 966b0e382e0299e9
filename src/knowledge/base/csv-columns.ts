// How an article maps to one CSV row and back. List fields are `|`-separated cells; a literal
// `|` or `\` inside an item is escaped with `\` so every list survives a round trip.
import { LANGUAGES, type Article } from './article.ts';

export const CSV_COLUMNS = [
  'id', 'title', 'standardQuestion', 'similarQuestions', 'keywords', 'answer', 'answerAudio',
  'agentScript', 'categoryPath', 'tags', 'language', 'validFrom', 'validUntil', 'author',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

const LIST_COLUMNS = new Set<CsvColumn>(['similarQuestions', 'keywords', 'categoryPath', 'tags']);
const OPTIONAL_COLUMNS = new Set<CsvColumn>(['similarQuestions', 'keywords', 'answerAudio', 'agentScript', 'categoryPath', 'tags', 'validFrom', 'validUntil']);
export const REQUIRED_COLUMNS = CSV_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.has(c));

export function joinList(items: readonly string[]): string {
  return items.map((item) => item.replace(/[\\|]/g, (c) => `\\${c}`)).join('|');
}

export function splitList(cell: string): string[] {
  if (cell === '') return [];
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\' && i + 1 < cell.length) current += cell[++i];
    else if (c === '|') {
      items.push(current);
      current = '';
    } else current += c;
  }
  items.push(current);
  return items;
}

/** `en=audio/refund.wav|zh-CN=audio/refund-zh.wav` */
export function audioToCell(audio: Article['answerAudio']): string {
  if (!audio) return '';
  return joinList(LANGUAGES.filter((l) => audio[l] !== undefined).map((l) => `${l}=${audio[l]}`));
}

/** Unparseable entries are kept under their raw text so the schema reports them by path. */
export function cellToAudio(cell: string): Record<string, string> {
  const audio: Record<string, string> = {};
  for (const entry of splitList(cell)) {
    const eq = entry.indexOf('=');
    if (eq < 0) audio[entry] = '';
    else audio[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return audio;
}

export function articleToRow(a: Article): string[] {
  return CSV_COLUMNS.map((column) => {
    switch (column) {
      case 'answerAudio':
        return audioToCell(a.answerAudio);
      case 'similarQuestions':
      case 'keywords':
      case 'categoryPath':
      case 'tags':
        return joinList(a[column]);
      default:
        return a[column] ?? '';
    }
  });
}

/** Builds the raw (unvalidated) article object from a row; empty optional cells are left out. */
export function rowToRecord(header: readonly CsvColumn[], cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const cell = cells[i] ?? '';
    if (cell === '' && OPTIONAL_COLUMNS.has(column)) return;
    if (column === 'answerAudio') record[column] = cellToAudio(cell);
    else if (LIST_COLUMNS.has(column)) record[column] = splitList(cell);
    else record[column] = cell;
  });
  return record;
}
