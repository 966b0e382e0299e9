// CSV export of a report (RFC 4180: comma separated, CRLF line ends, quotes doubled). One table at
// a time, since the series, the funnel and the unmatched questions have different columns:
//   series     one line per interval (its local start, e.g. 2026-03-08T00:00-05:00) and group,
//              then one 'total' line per group over the range
//   funnel     one line per flow node (flow-grouped or flow-filtered reports)
//   unmatched  one line per unmatched-question group (reports asked with `unmatched`)
// Cells that a spreadsheet would run as a formula (= + - @ first, or tab / CR) get a leading
// apostrophe: ids and question texts come from callers and from configuration.
import type { Figures } from './report-figures.ts';
import type { ReportResult } from './report-query.ts';

export type CsvTable = 'series' | 'funnel' | 'unmatched';

type Cell = string | number | null | undefined;

const COLUMNS: [string, (f: Figures) => Cell][] = [
  ['calls', (f) => f.calls],
  ['offered', (f) => f.offered],
  ['answered', (f) => f.answered],
  ['abandoned', (f) => f.abandoned],
  ['abandoned_short', (f) => f.abandonedShort],
  ['overflowed', (f) => f.overflowed],
  ['callbacks', (f) => f.callbacks],
  ['dropped', (f) => f.dropped],
  ['answered_within_t', (f) => f.answeredWithinThreshold],
  ['service_level', (f) => f.serviceLevel],
  ['asa_s', (f) => f.asaSeconds],
  ['avg_abandon_wait_s', (f) => f.averageAbandonWaitSeconds],
  ['longest_wait_s', (f) => f.longestWaitSeconds],
  ['handled', (f) => f.handled],
  ['aht_s', (f) => f.ahtSeconds],
  ['avg_talk_s', (f) => f.averageTalkSeconds],
  ['avg_wrap_s', (f) => f.averageWrapSeconds],
  ['transfers_out', (f) => f.transfersOut],
  ['repeat_calls', (f) => f.repeatCalls],
  ['repeat_caller_rate', (f) => f.repeatCallerRate],
  ['bot_calls', (f) => f.bot.calls],
  ['bot_contained', (f) => f.bot.contained],
  ['bot_handed_off', (f) => f.bot.handedOff],
  ['containment_rate', (f) => f.bot.containmentRate],
  ['bot_questions', (f) => f.bot.questions],
  ['bot_answered', (f) => f.bot.answered],
  ['match_rate', (f) => f.bot.matchRate],
  ['csat_responses', (f) => f.csat.responses],
  ['csat_average', (f) => f.csat.average],
  ['csat_satisfied_rate', (f) => f.csat.satisfiedRate],
];

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: Cell[]) => cells.map(csvCell).join(',');

export function toCsv(result: ReportResult, table: CsvTable = 'series'): string {
  const lines: string[] = [];
  if (table === 'series') {
    const { groupBy, timezone, serviceLevelSeconds, shortAbandonSeconds } = result.query;
    lines.push(line(['interval', 'start_utc', 'end_utc', 'timezone', groupBy === 'all' ? 'group' : groupBy, 't_s', 's_s', ...COLUMNS.map(([name]) => name)]));
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const point of result.series) {
      lines.push(line([point.label, iso(point.start), iso(point.end), timezone, point.group, serviceLevelSeconds, shortAbandonSeconds, ...COLUMNS.map(([, get]) => get(point.figures))]));
    }
    for (const total of result.totals) {
      lines.push(line(['total', iso(result.query.from), iso(result.query.to), timezone, total.group, serviceLevelSeconds, shortAbandonSeconds, ...COLUMNS.map(([, get]) => get(total.figures))]));
    }
  } else if (table === 'funnel') {
    lines.push(line(['flow', 'node', 'reached', 'dropped', 'drop_rate']));
    for (const flow of result.funnel ?? []) for (const n of flow.nodes) lines.push(line([flow.flow, n.node, n.reached, n.dropped, n.dropRate]));
  } else {
    lines.push(line(['language', 'representative', 'count', 'examples', 'top_articles', 'last_asked']));
    for (const g of result.unmatched?.groups ?? []) {
      lines.push(line([g.language, g.representative, g.count, g.examples.map((e) => `${e.text} (${e.count})`).join(' | '), g.articles.map((a) => a.id).join(' '), g.lastAt === null ? '' : new Date(g.lastAt).toISOString()]));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
