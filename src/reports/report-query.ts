// Answering a report from rollup rows only: the query names a range, an interval, a time zone and
// a grouping; the intervals are found in the zone, each is covered by stored buckets
// (time-buckets.ts), the rows of those buckets are summed per interval and group, and figures are
// computed from the sums. The rows come through a RowReader, so this file does no IO itself.
import { createAnalyzer } from '../knowledge/matcher/analyze.ts';
import type { Lexicon } from '../knowledge/matcher/lexicon.ts';
import { ReportError } from './report-errors.ts';
import { figuresOf, type Figures, type Thresholds } from './report-figures.ts';
import { intervalsOf, REPORT_INTERVALS, type IntervalSpan, type ReportInterval } from './report-intervals.ts';
import { addRow, DIMENSIONS, dimensionKey, emptyRow, type Dimension, type DimensionKey, type RollupRow } from './rollup-row.ts';
import { capSpans, coverOf, GRANULARITY_MS, HOUR_MS, mergeSpans, type Granularity, type Span } from './time-buckets.ts';
import { groupUnmatched, mergeUnmatched, type StoredQuestion, type UnmatchedReport, type UnmatchedRow } from './unmatched-rollup.ts';
import { effectiveThresholdMs } from './wait-histogram.ts';

export interface ReportQuery {
  /** Range start (ms since epoch, taken down to a quarter hour)… */
  from: number;
  /** …and end, exclusive (taken up to a quarter hour). */
  to: number;
  interval: ReportInterval;
  /** IANA zone in which hours, days, weeks and months begin. */
  timezone: string;
  /** One series per queue, agent, skill or flow; 'all' (default) for one series. */
  groupBy?: 'all' | Dimension;
  /** At most one filter, on the grouped dimension (or alone, which groups by it). */
  queue?: string;
  agent?: string;
  skill?: string;
  flow?: string;
  /** T of the service level (default 20 s); rounded down to a histogram bin edge (wait-histogram.ts). */
  serviceLevelSeconds?: number;
  /** Abandons after S seconds or less are left out of the service level (default 5 s). */
  shortAbandonSeconds?: number;
  /** How many unmatched-question groups to list (default 0: not computed). Site-wide, whatever the grouping. */
  unmatched?: number;
}

export interface SeriesPoint {
  group: string;
  start: number;
  end: number;
  label: string;
  figures: Figures;
}

export interface FunnelNode {
  node: string;
  reached: number;
  dropped: number;
  dropRate: number | null;
}

export interface ReportResult {
  query: {
    from: number;
    to: number;
    interval: ReportInterval;
    timezone: string;
    groupBy: 'all' | Dimension;
    filter?: { dimension: Dimension; id: string };
    /** The T and S actually used (bin edges). */
    serviceLevelSeconds: number;
    shortAbandonSeconds: number;
  };
  /** The groups in the series: 'all', or the ids of the grouped dimension. */
  groups: string[];
  series: SeriesPoint[];
  /** Each group over the whole range. */
  totals: { group: string; figures: Figures }[];
  /** Every call in range (or, filtered, the filtered group's). */
  total: Figures;
  /** IVR drop-off per node, for each flow in the report (flow grouping or filter). */
  funnel?: { flow: string; nodes: FunnelNode[] }[];
  unmatched?: UnmatchedReport;
  /** Rollup rows read to answer: the cost of the report. */
  rowsRead: number;
}

/** Where rows come from (ReportStore reads them from its store section). */
export interface RowReader {
  /** The ids seen so far of one dimension (queues, agents, …). */
  ids(dimension: Dimension): Promise<string[]>;
  /** Rows of one key whose bucket starts in the span, as [bucket start, row]. */
  rows(key: DimensionKey, span: Span): AsyncIterable<[number, RollupRow]>;
  /** One row, if any call added to it. */
  row(key: DimensionKey, granularity: Granularity, start: number): Promise<RollupRow | undefined>;
  unmatched(span: Span): AsyncIterable<[number, UnmatchedRow]>;
}

export interface QueryOptions {
  /** The knowledge base's synonyms and stop words, for grouping unmatched questions. */
  lexicon?: Lexicon;
}

const MAX_RANGE_MS = 400 * 24 * HOUR_MS;
const MAX_UNMATCHED = 1_000;

interface Plan {
  groupBy: 'all' | Dimension;
  filter?: { dimension: Dimension; id: string };
  thresholds: Thresholds;
}

function plan(query: ReportQuery): Plan {
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to) || query.from >= query.to) throw new ReportError('REPORT_BAD_RANGE', 'from must be before to (ms since the epoch)');
  if (query.to - query.from > MAX_RANGE_MS) throw new ReportError('REPORT_RANGE_TOO_LARGE', 'at most 400 days in one report');
  if (!(REPORT_INTERVALS as readonly string[]).includes(query.interval)) throw new ReportError('REPORT_BAD_QUERY', `interval must be one of ${REPORT_INTERVALS.join(', ')}`);
  const groupBy = query.groupBy ?? 'all';
  if (groupBy !== 'all' && !(DIMENSIONS as readonly string[]).includes(groupBy)) throw new ReportError('REPORT_BAD_QUERY', `groupBy must be all, ${DIMENSIONS.join(', ')}`);
  const filters = DIMENSIONS.filter((d) => query[d] !== undefined).map((dimension) => ({ dimension, id: String(query[dimension]) }));
  if (filters.length > 1) throw new ReportError('REPORT_UNSUPPORTED_FILTER', `one filter at a time: rollups are kept per ${DIMENSIONS.join(', ')}, not per combination`);
  const filter = filters[0];
  if (filter && groupBy !== 'all' && filter.dimension !== groupBy) {
    throw new ReportError('REPORT_UNSUPPORTED_FILTER', `a ${filter.dimension} filter with groupBy ${groupBy}: rollups are kept per ${DIMENSIONS.join(', ')}, not per combination`);
  }
  const threshold = (name: string, value: number | undefined, fallback: number) => {
    const seconds = value ?? fallback;
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new ReportError('REPORT_BAD_QUERY', `${name} must be from 0 to 3600 seconds`);
    return effectiveThresholdMs(seconds * 1000);
  };
  return {
    groupBy: filter ? filter.dimension : groupBy,
    ...(filter ? { filter } : {}),
    thresholds: { serviceLevelMs: threshold('serviceLevelSeconds', query.serviceLevelSeconds, 20), shortAbandonMs: threshold('shortAbandonSeconds', query.shortAbandonSeconds, 5) },
  };
}

/** The interval a bucket starting at `start` belongs to (intervals are sorted and contiguous). */
function intervalIndex(intervals: IntervalSpan[], start: number): number {
  let low = 0;
  let high = intervals.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (intervals[mid]!.start <= start) low = mid;
    else high = mid - 1;
  }
  return low;
}

export async function runQuery(query: ReportQuery, reader: RowReader, options: QueryOptions = {}): Promise<ReportResult> {
  const { groupBy, filter, thresholds } = plan(query);
  const intervals = intervalsOf(query.from, query.to, query.interval, query.timezone);
  const from = intervals[0]!.start;
  const to = intervals.at(-1)!.end;
  const cover = mergeSpans(intervals.flatMap((i) => coverOf(i.start, i.end)));
  const reads = readPlan(cover);
  let rowsRead = 0;

  const sumRows = async (key: DimensionKey): Promise<RollupRow[]> => {
    const sums = intervals.map(() => emptyRow());
    const add = (start: number, row: RollupRow) => {
      rowsRead++;
      addRow(sums[intervalIndex(intervals, start)]!, row);
    };
    // All reads of a key at once: the store serves range scans and point reads side by side.
    await Promise.all(reads.map(async (read) => {
      if (read.kind === 'points') {
        const rows = await Promise.all(read.starts.map((start) => reader.row(key, read.granularity, start)));
        rows.forEach((row, i) => row && add(read.starts[i]!, row));
        return;
      }
      for await (const [start, row] of reader.rows(key, read.span)) {
        if (read.wanted && !read.wanted(start)) rowsRead++;
        else add(start, row);
      }
    }));
    return sums;
  };

  const groups = groupBy === 'all' ? ['all'] : filter ? [filter.id] : (await reader.ids(groupBy)).sort();
  const keyOf = (group: string): DimensionKey => (groupBy === 'all' ? 'all' : dimensionKey(groupBy, group));
  const series: SeriesPoint[] = [];
  const totals: ReportResult['totals'] = [];
  const summed = new Map<string, RollupRow>();
  // The whole is the 'all' rows, unless the report is about one group (then that group is the whole).
  const wholeRows = groupBy !== 'all' && !filter ? sumRows('all') : undefined;
  wholeRows?.catch(() => undefined); // awaited below; a failure of the groups' reads must not leave it unhandled
  // Groups are read side by side: the store serves several range scans at once.
  const perGroup = await Promise.all(groups.map((group) => sumRows(keyOf(group))));
  groups.forEach((group, g) => {
    const perInterval = perGroup[g]!;
    const total = emptyRow();
    perInterval.forEach((row, i) => {
      addRow(total, row);
      const { start, end, label } = intervals[i]!;
      series.push({ group, start, end, label, figures: figuresOf(row, thresholds) });
    });
    summed.set(group, total);
    totals.push({ group, figures: figuresOf(total, thresholds) });
  });
  const whole = wholeRows ? (await wholeRows).reduce((sum, row) => addRow(sum, row), emptyRow()) : summed.get(groups[0]!)!;

  const result: ReportResult = {
    query: {
      from, to, interval: query.interval, timezone: query.timezone, groupBy, ...(filter ? { filter } : {}),
      serviceLevelSeconds: thresholds.serviceLevelMs / 1000, shortAbandonSeconds: thresholds.shortAbandonMs / 1000,
    },
    groups,
    series,
    totals,
    total: figuresOf(whole, thresholds),
    rowsRead: 0,
  };
  if (groupBy === 'flow') result.funnel = groups.map((flow) => ({ flow, nodes: funnelOf(summed.get(flow)!) }));
  const limit = Math.min(Math.max(Math.floor(query.unmatched ?? 0), 0), MAX_UNMATCHED);
  if (limit > 0) {
    const merged = new Map<string, StoredQuestion>();
    let notKept = 0;
    // Questions are kept in hour and quarter buckets only: larger buckets are read as their hours.
    for (const span of capSpans(cover, '1h')) {
      for await (const [, row] of reader.unmatched(span)) {
        mergeUnmatched(merged, row);
        notKept += row.notKept;
        rowsRead++;
      }
    }
    result.unmatched = groupUnmatched(merged, { analyzer: createAnalyzer(options.lexicon), limit, notKept });
  }
  result.rowsRead = rowsRead;
  return result;
}

/**
 * How to read the rows of a cover, priced in row reads (measured on the level store: opening a
 * range scan costs about 20 row reads, a point read about 1.5): each span of a size either as one
 * range scan or as point reads of its few rows — or, when the spans lie close together (the
 * 8-hour rows of consecutive local days), all of them as one scan that skips the rows between.
 */
const SCAN_OPEN_COST = 20;
const POINT_READ_COST = 1.5;

type Read =
  | { kind: 'scan'; span: Span; wanted?: (start: number) => boolean }
  | { kind: 'points'; granularity: Granularity; starts: number[] };

function readPlan(cover: Span[]): Read[] {
  const reads: Read[] = [];
  for (const granularity of new Set(cover.map((s) => s.granularity))) {
    const own = cover.filter((s) => s.granularity === granularity);
    const size = GRANULARITY_MS[granularity];
    const rowsOf = (s: Span) => (s.to - s.from) / size;
    const separate = own.reduce((cost, s) => cost + Math.min(SCAN_OPEN_COST + rowsOf(s), rowsOf(s) * POINT_READ_COST), 0);
    const hull: Span = { granularity, from: own[0]!.from, to: own.at(-1)!.to };
    if (own.length > 1 && SCAN_OPEN_COST + rowsOf(hull) < separate) {
      reads.push({ kind: 'scan', span: hull, wanted: (start) => own.some((s) => start >= s.from && start < s.to) });
      continue;
    }
    for (const span of own) {
      if (SCAN_OPEN_COST + rowsOf(span) <= rowsOf(span) * POINT_READ_COST) reads.push({ kind: 'scan', span });
      else reads.push({ kind: 'points', granularity, starts: Array.from({ length: rowsOf(span) }, (_, i) => span.from + i * size) });
    }
  }
  return reads;
}

function funnelOf(row: RollupRow): FunnelNode[] {
  return Object.entries(row.nodes ?? {})
    .map(([node, [reached, dropped]]) => ({ node, reached, dropped, dropRate: reached > 0 ? Math.round((dropped / reached) * 10_000) / 10_000 : null }))
    .sort((a, b) => b.reached - a.reached || (a.node < b.node ? -1 : 1));
}
