// The supervisor wallboard: GET /queues (and /agents) once, then live from the event stream
// (queue.stats replaces the figures, agent.state moves an agent), without reloading the page.
import { useEffect, useState } from 'react';
import { api, API } from '../api.ts';
import { duration, percent } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Meter, StackedBar } from '../meter.tsx';
import { LiveCalls } from './wallboard/live-calls.tsx';
import { Alerts, type Alert } from './wallboard/alerts.tsx';

const AGENT_STATES = ['available', 'ringing', 'on-call', 'wrap-up', 'paused', 'logged-out'] as const;
type AgentState = (typeof AGENT_STATES)[number];

interface QueueFigures {
  queueId: string;
  waiting: { onLine: number; callbackPlaces: number };
  longestWaitSeconds: number;
  agents: Record<AgentState, number>;
  offered: number; answered: number; abandoned: number;
  serviceLevel: number | null; asaSeconds: number | null; ahtSeconds: number | null;
}
interface AgentRow { id: string; state: AgentState; since: number; callId?: string }

const byId = (a: { queueId: string }, b: { queueId: string }) => a.queueId.localeCompare(b.queueId);
/** A caller waiting longer than this raises an alert on the wallboard. */
const LONG_WAIT_SECONDS = 60;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function WallboardPage({ canSeeAgents, canMonitor = false, canSeeAlerts = false }: { canSeeAgents: boolean; canMonitor?: boolean; canSeeAlerts?: boolean }) {
  const { t, locale } = useI18n();
  const [queues, setQueues] = useState<QueueFigures[]>();
  const [agents, setAgents] = useState<AgentRow[]>([]);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string>();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const now = useNow(1000);

  useEffect(() => {
    let stopped = false;
    api<{ queues: QueueFigures[] }>('/queues').then((r) => { if (!stopped) setQueues([...r.queues].sort(byId)); }, (err: Error) => setError(err.message));
    // The agents with their calls (an on-call agent's call is what a supervisor listens to).
    const loadAgents = () => api<{ agents: { id: string; status: { kind: AgentState; callId?: string }; stateSince: number }[] }>('/agents').then(
      (r) => { if (!stopped) setAgents(r.agents.map((a) => ({ id: a.id, state: a.status.kind, since: a.stateSince, ...(a.status.callId ? { callId: a.status.callId } : {}) })).sort((a, b) => a.id.localeCompare(b.id))); },
      (err: Error) => setError(err.message),
    );
    if (canSeeAgents) void loadAgents();
    // EventSource reconnects by itself (with Last-Event-ID); `live` shows whether it is connected.
    const types = ['queue.stats', ...(canSeeAgents ? ['agent.state'] : []), ...(canSeeAlerts ? ['alert'] : [])];
    const events = new EventSource(`${API}/events?types=${types.join(',')}`);
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    events.addEventListener('queue.stats', (e) => {
      const { data } = JSON.parse((e as MessageEvent<string>).data) as { data: { queues: QueueFigures[] } };
      setQueues([...data.queues].sort(byId));
    });
    events.addEventListener('agent.state', (e) => {
      const { at, data } = JSON.parse((e as MessageEvent<string>).data) as { at: number; data: { agentId: string; to: AgentState } };
      setAgents((rows) => {
        const row = { id: data.agentId, state: data.to, since: at };
        const rest = rows.filter((r) => r.id !== data.agentId);
        return [...rest, row].sort((a, b) => a.id.localeCompare(b.id));
      });
      // A call connected: which call it is comes with the agents' list.
      if (data.to === 'on-call') void loadAgents();
    });
    events.addEventListener('alert', (e) => {
      const { id, at, callId, data } = JSON.parse((e as MessageEvent<string>).data) as { id?: number; at: number; callId?: string; data: { kind: string; phrase?: string; leg?: string; text?: string } };
      setAlerts((list) => [{ key: String(id ?? at), at, ...(callId ? { callId } : {}), ...data }, ...list].slice(0, 20));
    });
    return () => { stopped = true; events.close(); };
  }, [canSeeAgents, canSeeAlerts]);

  const dash = t('wallboard.noData');
  const maxWaiting = Math.max(5, ...(queues ?? []).map((q) => q.waiting.onLine));
  const maxLongest = Math.max(60, ...(queues ?? []).map((q) => q.longestWaitSeconds));

  return (
    <main id="main" className="page">
      <div className="page-head">
        <h1>{t('wallboard.title')}</h1>
        <span className={`live ${live ? 'is-live' : 'is-offline'}`} role="status">{live ? t('wallboard.live') : t('wallboard.offline')}</span>
      </div>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      {!queues && !error && <p aria-busy="true">{t('app.loading')}</p>}
      {queues?.length === 0 && <p>{t('wallboard.noQueues')}</p>}
      <div className="queue-grid">
        {queues?.map((q) => {
          const sl = q.serviceLevel;
          return (
            <section key={q.queueId} className="card queue" aria-labelledby={`queue-${q.queueId}`} data-queue={q.queueId}>
              <h2 id={`queue-${q.queueId}`}>{q.queueId}</h2>
              <dl className="figures">
                <div>
                  <dt>{t('wallboard.waiting')}</dt>
                  <dd><span className="big">{q.waiting.onLine}</span>{q.waiting.callbackPlaces > 0 && <small> {t('wallboard.callbacks', { count: q.waiting.callbackPlaces })}</small>}
                    <Meter label={t('wallboard.waiting')} value={q.waiting.onLine} max={maxWaiting} text={String(q.waiting.onLine)} tone={q.waiting.onLine > 0 ? 'warn' : 'good'} />
                  </dd>
                </div>
                <div>
                  <dt>{t('wallboard.longestWait')}</dt>
                  <dd><span className="big">{duration(q.longestWaitSeconds) ?? dash}</span>
                    <Meter label={t('wallboard.longestWait')} value={Math.round(q.longestWaitSeconds)} max={Math.round(maxLongest)} text={duration(q.longestWaitSeconds) ?? dash} tone={q.longestWaitSeconds > 60 ? 'bad' : q.longestWaitSeconds > 20 ? 'warn' : 'good'} />
                  </dd>
                </div>
                <div>
                  <dt>{t('wallboard.serviceLevel')}</dt>
                  <dd><span className="big">{percent(sl, locale) ?? dash}</span>
                    <Meter label={t('wallboard.serviceLevel')} value={Math.round((sl ?? 0) * 100)} max={100} text={percent(sl, locale) ?? dash} tone={sl === null ? 'normal' : sl >= 0.8 ? 'good' : sl >= 0.6 ? 'warn' : 'bad'} />
                  </dd>
                </div>
                <div>
                  <dt>{t('wallboard.abandoned')}</dt>
                  <dd><span className="big">{q.abandoned}</span> <small>{t('wallboard.abandonedOf', { abandoned: q.abandoned, offered: q.offered })}</small>
                    <Meter label={t('wallboard.abandoned')} value={q.abandoned} max={Math.max(1, q.offered)} text={t('wallboard.abandonedOf', { abandoned: q.abandoned, offered: q.offered })} tone={q.abandoned > 0 ? 'bad' : 'good'} />
                  </dd>
                </div>
              </dl>
              <dl className="figures pair">
                <div><dt>{t('wallboard.asa')}</dt><dd>{duration(q.asaSeconds) ?? dash}</dd></div>
                <div><dt>{t('wallboard.aht')}</dt><dd>{duration(q.ahtSeconds) ?? dash}</dd></div>
                <div><dt>{t('wallboard.answered')}</dt><dd>{q.answered}</dd></div>
              </dl>
              <StackedBar label={t('wallboard.agents')} parts={AGENT_STATES.map((s) => ({ key: s, label: t(`state.${s}` as MessageKey), count: q.agents[s] ?? 0 }))} />
            </section>
          );
        })}
      </div>
      {(canSeeAlerts || (queues ?? []).some((q) => q.longestWaitSeconds > LONG_WAIT_SECONDS)) && (
        <Alerts alerts={alerts} longWaits={(queues ?? []).filter((q) => q.longestWaitSeconds > LONG_WAIT_SECONDS).map((q) => ({ queueId: q.queueId, seconds: q.longestWaitSeconds }))} />
      )}
      {canMonitor && <LiveCalls calls={agents.filter((a) => a.state === 'on-call' && a.callId).map((a) => ({ agentId: a.id, callId: a.callId! }))} />}
      {canSeeAgents && agents.length > 0 && (
        <section className="card agents" aria-labelledby="agents-title">
          <h2 id="agents-title">{t('wallboard.agentList')}</h2>
          <table>
            <thead><tr><th scope="col">{t('wallboard.agentColumn')}</th><th scope="col">{t('wallboard.stateColumn')}</th><th scope="col">{t('wallboard.sinceColumn')}</th></tr></thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id} data-agent={a.id}>
                  <th scope="row">{a.id}</th>
                  <td><span className={`swatch part-${a.state}`} aria-hidden="true" />{t(`state.${a.state}` as MessageKey)}</td>
                  <td>{duration((now - a.since) / 1000) ?? dash}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
