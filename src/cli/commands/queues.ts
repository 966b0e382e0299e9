// `deskline agents …` and `deskline queues`: log agents in and out from a shell, and a wallboard
// in the terminal (bars, not tables of numbers). Both talk to the running service.
import { parseArgs } from 'node:util';
import type { QueueFigures as Figures } from '../../queue/wallboard.ts';
import { controlRequest } from '../control-client.ts';
import { UsageError, type Command } from './command.ts';
import { siteHelp, siteOptions, socketFrom } from './site-options.ts';


const bar = (value: number, max: number, width = 20) => '█'.repeat(max > 0 ? Math.round((Math.min(value, max) / max) * width) : 0).padEnd(width, '·');
const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);
const secs = (v: number | null) => (v === null ? '–' : `${Math.round(v)} s`);

export function formatBoard(queues: Figures[]): string {
  const most = Math.max(1, ...queues.map((q) => q.waiting.onLine + q.waiting.callbackPlaces));
  return queues.map((q) => {
    const staffed = (q.agents.available ?? 0) + (q.agents.ringing ?? 0) + (q.agents['on-call'] ?? 0) + (q.agents['wrap-up'] ?? 0);
    return [
      `${q.queueId}`,
      `  waiting   ${bar(q.waiting.onLine, most)} ${q.waiting.onLine} on the line, ${q.waiting.callbackPlaces} callback places, longest ${Math.round(q.longestWaitSeconds)} s`,
      `  agents    ${bar(q.agents['on-call'] ?? 0, Math.max(1, staffed))} ${q.agents['on-call'] ?? 0} talking, ${q.agents.available ?? 0} free, ${q.agents['wrap-up'] ?? 0} wrap-up, ${q.agents.paused ?? 0} paused`,
      `  service   ${bar(q.serviceLevel ?? 0, 1)} ${pct(q.serviceLevel)} in target · ASA ${secs(q.asaSeconds)} · AHT ${secs(q.ahtSeconds)}`,
      `  today     ${q.offered} offered, ${q.answered} answered, ${q.abandoned} abandoned, ${q.overflowed} overflowed`,
    ].join('\n');
  }).join('\n\n');
}

export const queuesCommand: Command = {
  name: 'queues',
  summary: 'live queue figures (waiting, agents, service level, ASA, AHT) from the running service',
  help: `Usage: deskline queues [--json]\n\nOptions:\n      --json   the figures as JSON\n${siteHelp}`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { ...siteOptions, json: { type: 'boolean', default: false } }, strict: true });
    const { status, body } = await controlRequest<{ queues: Figures[]; error?: { message: string } }>(await socketFrom(values), 'GET', '/api/v1/queues');
    if (status === 404) throw new UsageError('this site has no queues configured');
    if (status !== 200) throw new UsageError(body.error?.message ?? `service answered ${status}`);
    console.log(values.json ? JSON.stringify(body.queues, null, 2) : formatBoard(body.queues));
    return 0;
  },
};

export const agentsCommand: Command = {
  name: 'agents',
  summary: 'agents\' states, or log one in / out / pause / unpause',
  help: `Usage: deskline agents [login|logout|pause|unpause AGENT [--reason TEXT]] [--json]

Without an action, lists every agent who has logged in since the store was created, with state.
Agents can do the same from their phones with feature codes (*50 login, *51 logout, *52 pause,
*53 unpause by default; see acd.featureCodes).

Options:
      --reason TEXT   pause reason code (default: break)
      --json          JSON output
${siteHelp}`,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, options: { ...siteOptions, reason: { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
    const socket = await socketFrom(values);
    const [action, agentId] = positionals;
    if (action === undefined) {
      const { status, body } = await controlRequest<{ agents: { id: string; status: { kind: string; reason?: string }; callsTaken: number; stateSince: number }[]; error?: { message: string } }>(socket, 'GET', '/api/v1/agents');
      if (status !== 200) throw new UsageError(body.error?.message ?? `service answered ${status}`);
      if (values.json) console.log(JSON.stringify(body.agents, null, 2));
      else for (const a of body.agents ?? []) console.log(`${a.id.padEnd(12)} ${a.status.kind}${a.status.reason ? ` (${a.status.reason})` : ''}, ${a.callsTaken} calls, since ${new Date(a.stateSince).toISOString().slice(11, 19)}`);
      return 0;
    }
    if (!['login', 'logout', 'pause', 'unpause'].includes(action) || !agentId) throw new UsageError('give login|logout|pause|unpause and an agent id');
    const { status, body } = await controlRequest<{ agent?: { id: string; status: { kind: string } }; error?: { message: string } }>(socket, 'POST', `/api/v1/agents/${encodeURIComponent(agentId)}/state`, { action, ...(values.reason ? { reason: values.reason } : {}) });
    if (status !== 200) throw new UsageError(body.error?.message ?? `service answered ${status}`);
    console.log(values.json ? JSON.stringify(body.agent, null, 2) : `${body.agent!.id}: ${body.agent!.status.kind}`);
    return 0;
  },
};
