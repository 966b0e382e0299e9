// One call's recording: who and when, the player with its transcript, and QA. The path names a
// call id (from the search list) or a recording id (links from elsewhere).
import { useEffect, useMemo, useState } from 'react';
import { api, type Me } from '../../api.ts';
import { dateTime, duration } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import { Player } from './player.tsx';
import { QaPanel } from './qa-panel.tsx';
import { placeLines, type TranscriptEntry } from './timeline.ts';
import { agentAndQueue, type CallSummary, type Recording } from './types.ts';

/** Recording ids are `<base36 time>-<16 hex>`; anything else is a call id. */
const looksLikeRecordingId = (id: string) => /^[a-z0-9]{6,12}-[0-9a-f]{16}$/.test(id);

export function RecordingView({ id, me }: { id: string; me: Me }) {
  const { t, locale } = useI18n();
  const [call, setCall] = useState<CallSummary>();
  const [recordings, setRecordings] = useState<Recording[]>();
  const [chosen, setChosen] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let stopped = false;
    setCall(undefined);
    setRecordings(undefined);
    (async () => {
      const callId = looksLikeRecordingId(id) ? (await api<Recording>(`/recordings/${encodeURIComponent(id)}`)).callId : id;
      const [summary, list] = await Promise.all([
        api<CallSummary>(`/calls/${encodeURIComponent(callId)}`),
        api<{ recordings: Recording[] }>(`/recordings?callId=${encodeURIComponent(callId)}`),
      ]);
      if (stopped) return;
      const ordered = [...list.recordings].sort((a, b) => a.startedAt - b.startedAt);
      setCall(summary);
      setRecordings(ordered);
      setChosen(looksLikeRecordingId(id) && ordered.some((r) => r.id === id) ? id : ordered[0]?.id);
    })().catch((err: Error) => { if (!stopped) setError(err.message); });
    return () => { stopped = true; };
  }, [id]);

  const recording = recordings?.find((r) => r.id === chosen);
  const lines = useMemo(() => {
    const entries = (call?.trail ?? []).filter((e) => e.type === 'transcript').map((e) => ({
      at: e.at, leg: String(e.leg), text: String(e.text), startMs: Number(e.startMs), endMs: Number(e.endMs),
      ...(typeof e.audioStartedAt === 'number' ? { audioStartedAt: e.audioStartedAt } : {}),
    }) satisfies TranscriptEntry);
    return placeLines(entries, recording);
  }, [call, recording]);

  const back = <p><Link to="/recordings">{t('recordings.back')}</Link></p>;
  if (error) return <main id="main" className="page recordings">{back}<p className="form-error" role="alert">{t('app.error', { message: error })}</p></main>;
  if (!call || !recordings) return <main id="main" className="page recordings">{back}<p aria-busy="true">{t('app.loading')}</p></main>;
  const started = call.trail[0]?.at;
  const { agent, queue } = agentAndQueue(call.trail);

  return (
    <main id="main" className="page recordings rec-view">
      {back}
      <h1>{t('recordings.callTitle', { caller: call.caller || t('recordings.noNumber') })}</h1>
      <dl className="rec-facts">
        {started !== undefined && <div><dt>{t('recordings.col.started')}</dt><dd>{dateTime(started, locale)}</dd></div>}
        <div><dt>{t('recordings.col.agent')}</dt><dd>{recording?.agentId ?? agent ?? '—'}</dd></div>
        <div><dt>{t('recordings.col.queue')}</dt><dd>{recording?.queueId ?? queue ?? '—'}</dd></div>
        <div><dt>{t('recordings.col.duration')}</dt><dd>{duration(call.durationMs === undefined ? undefined : call.durationMs / 1000) ?? t('recordings.live')}</dd></div>
        <div><dt>{t('recordings.col.outcome')}</dt><dd>{call.outcome ? t(`recordings.outcome.${call.outcome}` as MessageKey) : t('recordings.live')}</dd></div>
      </dl>
      {recordings.length > 1 && (
        <div className="field-inline">
          <label htmlFor="rec-which">{t('recordings.which')}</label>
          <select id="rec-which" value={chosen} onChange={(e) => setChosen(e.target.value)}>
            {recordings.map((r, i) => <option key={r.id} value={r.id}>{t('recordings.part', { n: i + 1, length: duration(r.durationSeconds) ?? '' })}</option>)}
          </select>
        </div>
      )}
      <div className="rec-layout">
        <div className="rec-main">
          {recording ? <Player key={recording.id} recording={recording} lines={lines} /> : (
            <>
              <p className="card">{t('recordings.notRecordedCall')}</p>
              {lines.length > 0 && <section className="card rec-transcript"><h2>{t('recordings.transcript')}</h2><ol className="rec-lines">{lines.map((l, i) => <li key={i}><div className="line outside"><span className={`leg leg-${l.leg}`}>{t(l.leg === 'agent' ? 'recordings.leg.agent' : 'recordings.leg.caller')}</span><span className="words">{l.text}</span></div></li>)}</ol></section>}
            </>
          )}
        </div>
        <QaPanel callId={call.callId} me={me} />
      </div>
    </main>
  );
}
