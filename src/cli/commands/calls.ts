import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { CallState } from '../../calls/call-types.ts';
import { CallRecords, type CallQuery } from '../../calls/call-records.ts';
import { formatSummary, summarizeCall, type CallSummary } from '../../calls/call-summary.ts';
import { LevelStore } from '../../store/level-store.ts';
import { ControlUnavailable, controlRequest } from '../control-client.ts';
import { UsageError, type Command } from './command.ts';
import { configFrom, siteHelp, siteOptions, socketFrom } from './site-options.ts';

function parseTime(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} ${JSON.stringify(text)}: not a date/time (e.g. 2026-11-24T08:00+08:00)`);
  return ms;
}

/** Through the running service if there is one; else straight from the store (which it locks). */
async function withRecords<T>(values: { site?: string; socket?: string }, viaSocket: (socket: string) => Promise<T>, direct: (records: CallRecords) => Promise<T>): Promise<T> {
  const socket = await socketFrom(values);
  try {
    return await viaSocket(socket);
  } catch (error) {
    if (!(error instanceof ControlUnavailable)) throw error;
  }
  const config = await configFrom(values);
  const store = await LevelStore.open(`${resolve(config.store.path)}/db`);
  try {
    return await direct(new CallRecords(store));
  } finally {
    await store.close();
  }
}

/** What a call list shows (the admin API's CallRecord; the store's CallState has it too). */
type CallRow = Pick<CallState, 'callId' | 'caller' | 'dialed' | 'startedAt' | 'endedAt' | 'outcome' | 'digits'>;

/** The admin API's pages (at most 1,000 rows each) until `limit` calls. */
async function listViaApi(socket: string, search: URLSearchParams, limit: number): Promise<CallRow[]> {
  const rows: CallRow[] = [];
  let cursor: string | null = null;
  do {
    const page = new URLSearchParams(search);
    page.set('limit', String(Math.min(1000, limit - rows.length)));
    if (cursor) page.set('cursor', cursor);
    const { status, body } = await controlRequest<{ items: CallRow[]; nextCursor: string | null; error?: { message: string } }>(socket, 'GET', `/api/v1/calls?${page}`);
    if (status !== 200) throw new UsageError(body.error?.message ?? `service answered ${status}`);
    rows.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor && rows.length < limit);
  return rows;
}

const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export const callsListCommand: Command = {
  name: 'calls list',
  summary: 'list call records (newest first) by time range, caller and outcome',
  help: `Usage: deskline calls list [--from TIME] [--to TIME] [--caller NUMBER] [--outcome OUTCOME] [--limit N] [--json]

Options:
      --from TIME        calls that started at or after TIME (ISO 8601, e.g. 2026-11-24T08:00+08:00)
      --to TIME          calls that started before TIME
      --caller NUMBER    only this caller number
      --outcome OUTCOME  completed | abandoned | dropped | failed | transferred
      --text WORDS       calls whose transcripts contain all these words
      --limit N          at most N calls (default 50)
      --json             JSON instead of a table
${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...siteOptions, from: { type: 'string' }, to: { type: 'string' }, caller: { type: 'string' }, outcome: { type: 'string' }, text: { type: 'string' }, limit: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const outcomes = ['completed', 'abandoned', 'dropped', 'failed', 'transferred'];
    if (values.outcome && !outcomes.includes(values.outcome)) throw new UsageError(`--outcome must be one of ${outcomes.join(', ')}`);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit takes a whole number from 1 to 10000');
    const query: CallQuery = { from: parseTime('--from', values.from), to: parseTime('--to', values.to), caller: values.caller, outcome: values.outcome as CallQuery['outcome'], text: values.text, limit };
    const search = new URLSearchParams(Object.entries({ ...query, limit: undefined }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)] as [string, string]));
    const calls = await withRecords<CallRow[]>(values, (socket) => listViaApi(socket, search, limit), (records) => records.list(query));
    if (values.json) {
      console.log(JSON.stringify(calls, null, 2));
      return 0;
    }
    console.log(['started (UTC)      ', 'caller        ', 'dialed  ', 'outcome  ', 'dur s ', 'digits  ', 'call id'].join(' '));
    for (const c of calls) {
      const duration = c.endedAt === undefined ? 'live' : ((c.endedAt - c.startedAt) / 1000).toFixed(1);
      console.log([iso(c.startedAt), (c.caller.number || '-').padEnd(14), c.dialed.padEnd(8), (c.outcome ?? 'live').padEnd(9), duration.padStart(6), (c.digits || '-').padEnd(8), c.callId].join(' '));
    }
    console.log(`${calls.length} call(s)`);
    return 0;
  },
};

export const callsShowCommand: Command = {
  name: 'calls show',
  summary: 'show one call record with its event trail',
  help: `Usage: deskline calls show CALL_ID [--json]

Options:
      --json             print the record as JSON
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    const id = positionals[0];
    if (!id) throw new UsageError('give a call id (see deskline calls list)');
    const summary = await withRecords<CallSummary | undefined>(
      values,
      async (socket) => {
        const { status, body } = await controlRequest<CallSummary>(socket, 'GET', `/api/v1/calls/${encodeURIComponent(id)}`);
        return status === 200 ? body : undefined;
      },
      async (records) => {
        const state = await records.get(id);
        return state && summarizeCall(state, await records.trail(id));
      },
    );
    if (!summary) {
      console.error(`deskline calls show: no call ${id}`);
      return 1;
    }
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(formatSummary(summary));
      for (const e of summary.trail) {
        const { at, type, ...rest } = e;
        console.log(`  ${iso(at)}.${String(at % 1000).padStart(3, '0')}  ${type.padEnd(16)} ${Object.keys(rest).length ? JSON.stringify(rest) : ''}`);
      }
    }
    return 0;
  },
};
