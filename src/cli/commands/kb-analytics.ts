// `deskline kb analytics`: how the knowledge base serves callers — match rate, bot containment,
// handoff reasons, article usage and the questions nobody could answer — from the running service.
// Printed as small bar charts (people read charts, not tables); --json gives the figures.
import { parseArgs } from 'node:util';
import type { KnowledgeAnalyticsResponse as Analytics } from '../../knowledge/analytics/analytics-routes.ts';
import type { DayFigures } from '../../knowledge/analytics/knowledge-analytics.ts';
import { ControlUnavailable, controlRequest } from '../control-client.ts';
import { UsageError, type Command } from './command.ts';
import { siteHelp, siteOptions, socketFrom } from './site-options.ts';

const WIDTH = 20;
const bar = (value: number, max: number, width = WIDTH) => '█'.repeat(max > 0 ? Math.round((Math.min(Math.max(value, 0), max) / max) * width) : 0).padEnd(width, '·');
const pct = (rate: number | null) => (rate === null ? '  –  ' : `${String(Math.round(rate * 100)).padStart(3)} %`);
const num = (n: number) => n.toLocaleString('en-US');
const quote = (text: string, max = 70) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A --from/--to value → ISO instant. A bare date is a local calendar day: --from takes its start,
 * --to its end (so --from 2026-03-01 --to 2026-03-31 is all of March).
 */
export function parseDateOption(flag: '--from' | '--to', text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const day = DATE_ONLY.exec(text);
  const ms = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + (flag === '--to' ? 1 : 0)).getTime() : Date.parse(text);
  const calendar = day && new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
  const real = !calendar || (calendar.getMonth() === Number(day![2]) - 1 && calendar.getDate() === Number(day![3]));
  if (!real || !Number.isFinite(ms)) throw new UsageError(`${flag} ${JSON.stringify(text)}: not a date or date-time (e.g. 2026-03-01 or 2026-03-01T08:00+08:00)`);
  return new Date(ms).toISOString();
}

/** Days, or weeks when the range is longer than a month (a year is 53 rows, not 366). */
function periods(days: DayFigures[]): { label: string; figures: DayFigures }[] {
  const size = days.length > 31 ? 7 : 1;
  const out: { label: string; figures: DayFigures }[] = [];
  for (let i = 0; i < days.length; i += size) {
    const chunk = days.slice(i, i + size);
    const sum = (key: 'calls' | 'botCalls' | 'contained' | 'handedOff' | 'questions' | 'answered' | 'unmatched') => chunk.reduce((n, d) => n + d[key], 0);
    const figures = { day: chunk[0]!.day, calls: sum('calls'), botCalls: sum('botCalls'), contained: sum('contained'), handedOff: sum('handedOff'), questions: sum('questions'), answered: sum('answered'), unmatched: sum('unmatched') };
    const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);
    out.push({ label: size === 1 ? chunk[0]!.day.slice(5) : `wk ${chunk[0]!.day.slice(5)}`, figures: { ...figures, matchRate: rate(figures.answered, figures.questions), containmentRate: rate(figures.contained, figures.botCalls) } });
  }
  return out;
}

export function formatKnowledgeAnalytics(a: Analytics, top = 10): string {
  const lines: string[] = [];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  lines.push(`Knowledge analytics  ${day(a.range.from)} → ${day(a.range.to)} UTC  ·  ${num(a.calls)} calls${a.truncated ? '  (the oldest calls were left out: ask a shorter range)' : ''}`);
  const b = a.bot;

  lines.push('', `Voice FAQ bot: ${num(b.calls)} calls, ${num(b.turns)} turns, ${num(b.questions)} questions`);
  if (b.calls === 0) lines.push('  no calls reached the bot in this range');
  else {
    lines.push(
      `  match rate   ${bar(b.matchRate ?? 0, 1)} ${pct(b.matchRate)}  ${num(b.answered)} of ${num(b.questions)} questions answered`,
      `  contained    ${bar(b.containmentRate ?? 0, 1)} ${pct(b.containmentRate)}  ${num(b.contained)} calls ended without an agent`,
      `  handed off   ${bar(b.handedOff, b.calls)} ${pct(b.handedOff / b.calls)}  ${num(b.handedOff)} to a queue or a message${b.reachedAgent ? `, ${num(b.reachedAgent)} reached an agent` : ''}`,
      `  unresolved   ${bar(b.unresolved, b.calls)} ${pct(b.unresolved / b.calls)}  ${num(b.unresolved)} hung up in the bot without a helped answer`,
    );
    const rated = b.feedback.helped + b.feedback.notHelped;
    if (rated > 0) lines.push(`  helped       ${bar(b.feedback.helpedRate ?? 0, 1)} ${pct(b.feedback.helpedRate)}  of ${num(rated)} answers the caller rated`);
  }

  const reasons = Object.entries(a.handoffs.reasons).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1]);
  if (reasons.length) {
    const most = reasons[0]![1];
    lines.push('', `Handoff reasons (${num(a.handoffs.total)})`);
    for (const [reason, n] of reasons) lines.push(`  ${reason.padEnd(15)} ${bar(n, most)} ${num(n)}`);
  }

  const rows = periods(a.days);
  if (rows.some((r) => r.figures.botCalls > 0)) {
    const most = Math.max(...rows.map((r) => r.figures.botCalls));
    lines.push('', `Bot calls per ${rows[0]!.label.startsWith('wk') ? 'week' : 'day'}`, `  ${''.padEnd(9)} ${''.padEnd(WIDTH)} ${'calls'.padStart(6)}  ${'contained'.padStart(9)}  ${'matched'.padStart(7)}`);
    for (const { label, figures } of rows) lines.push(`  ${label.padEnd(9)} ${bar(figures.botCalls, most)} ${String(num(figures.botCalls)).padStart(6)}  ${pct(figures.containmentRate).padStart(9)}  ${pct(figures.matchRate).padStart(7)}`);
  }

  const used = a.articles.filter((x) => x.botAnswers + x.assistShown > 0).slice(0, top);
  if (used.length) {
    const most = Math.max(...used.map((x) => x.botAnswers + x.assistShown));
    const idWidth = Math.min(24, Math.max(...used.map((x) => x.articleId.length)));
    lines.push('', `Articles most used (of ${num(a.articles.length)}): bot answers + agent assist`);
    for (const x of used) {
      const rated = x.helped + x.notHelped;
      const parts = [
        x.botAnswers ? `${num(x.botAnswers)} answers${rated ? ` (${num(x.helped)} helped, ${num(x.notHelped)} not)` : ''}` : '',
        x.assistShown ? `assist ${num(x.assistShown)} shown, ${num(x.assistOpened)} opened, ${num(x.assistHelpful)} helpful` : '',
        x.nearMisses ? `${num(x.nearMisses)} near misses` : '',
      ].filter(Boolean);
      lines.push(`  ${quote(x.articleId, 24).padEnd(idWidth)} ${bar(x.botAnswers + x.assistShown, most)} ${parts.join(' · ')}`);
    }
  }
  const unhelpful = a.articles.filter((x) => x.notHelped > 0).sort((x, y) => y.notHelped - x.notHelped || (x.articleId < y.articleId ? -1 : 1)).slice(0, 5);
  if (unhelpful.length) lines.push(`  answers that did not help most: ${unhelpful.map((x) => `${x.articleId} (${num(x.notHelped)})`).join(', ')}`);

  if (a.escalations.total > 0) {
    const most = a.escalations.phrases[0]?.count ?? 1;
    lines.push('', `Escalation phrases (${num(a.escalations.total)})`);
    for (const p of a.escalations.phrases.slice(0, top)) lines.push(`  ${quote(p.phrase, 20).padEnd(20)} ${bar(p.count, most)} ${num(p.count)}  (caller ${num(p.caller)}, agent ${num(p.agent)})`);
  }

  const u = a.unmatched;
  lines.push('', `Unmatched questions: ${num(u.questions)} in ${num(u.groupCount)} groups${u.ungrouped ? ` (+${num(u.ungrouped)} ungrouped)` : ''}${u.groupCount > Math.min(top, u.groups.length) ? `, largest ${Math.min(top, u.groups.length)} shown` : ''}`);
  if (u.groups.length === 0) lines.push('  none: every question the bot heard had an answer');
  const mostAsked = u.groups[0]?.count ?? 1;
  for (const g of u.groups.slice(0, top)) {
    lines.push(`  ${bar(g.count, mostAsked, 10)} ${String(num(g.count)).padStart(5)}×  ${quote(g.representative)}`);
    const others = g.examples.filter((e) => e.text !== g.representative);
    if (others.length) lines.push(`${' '.repeat(21)}also: ${others.map((e) => `"${quote(e.text, 40)}"${e.count > 1 ? ` ×${num(e.count)}` : ''}`).join(', ')}`);
    if (g.articles.length) lines.push(`${' '.repeat(21)}nearest articles: ${g.articles.map((x) => `${x.id} (${x.bestConfidence.toFixed(2)})`).join(', ')}`);
  }
  return lines.join('\n');
}

export const kbAnalyticsCommand: Command = {
  name: 'kb analytics',
  summary: 'knowledge-base analytics: match rate, bot containment, handoff reasons, article use, unmatched questions',
  help: `Usage: deskline kb analytics [--from DATE] [--to DATE] [--top N] [--json]

Match rate (answered / asked questions), bot containment (bot calls that ended without a queue or
an agent: the caller was satisfied, or hung up after a helped answer), handoff reasons, article
use by the bot and by agent assist, escalation phrases, and the questions the bot could not
answer, grouped by similarity, for knowledge-base authors. At most 366 days at a time.

Options:
      --from DATE   start (ISO 8601: 2026-03-01 or 2026-03-01T08:00+08:00); default: 7 days before --to
      --to DATE     end, exclusive; a bare date means through the end of that day; default: now
      --top N       rows per chart and unmatched groups shown (default 10, at most 1000)
      --json        the figures as JSON
${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { ...siteOptions, from: { type: 'string' }, to: { type: 'string' }, top: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const top = Number(values.top);
    if (!Number.isInteger(top) || top < 1 || top > 1000) throw new UsageError('--top takes a whole number from 1 to 1000');
    const search = new URLSearchParams();
    const from = parseDateOption('--from', values.from);
    const to = parseDateOption('--to', values.to);
    if (from) search.set('from', from);
    if (to) search.set('to', to);
    search.set('unmatched', String(values.json ? 1000 : top));
    let answer: { status: number; body: Analytics & { error?: { message: string } } };
    try {
      answer = await controlRequest(await socketFrom(values), 'GET', `/api/v1/knowledge/analytics?${search}`, undefined, 120_000);
    } catch (error) {
      if (error instanceof ControlUnavailable) throw new UsageError(error.message);
      throw error;
    }
    if (answer.status !== 200) throw new UsageError(answer.body.error?.message ?? `service answered ${answer.status}`);
    console.log(values.json ? JSON.stringify(answer.body, null, 2) : formatKnowledgeAnalytics(answer.body, top));
    return 0;
  },
};
