// Live conversations on the wallboard, for supervisors (live.monitor): listen in the page (the
// call's audio over GET /api/v1/calls/{id}/listen, played with Web Audio), or whisper to the agent
// / barge in through the desk phone (Deskline rings it, the supervisor answers). Every listen and
// monitor is audited by the API.
import { useEffect, useState } from 'react';
import { api, API } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { PhonePanel, useDeskPhone } from '../../softphone/phone-panel.tsx';

export interface LiveCall { agentId: string; callId: string }

/** Plays a live call's PCM frames; returns how many frames arrived (for people and tests). */
function useListen(callId: string | undefined): { frames: number; error?: string } {
  const [frames, setFrames] = useState(0);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!callId) return;
    setFrames(0);
    setError(undefined);
    const url = new URL(`${API}/calls/${encodeURIComponent(callId)}/listen`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    let audio: AudioContext | undefined;
    let playAt = 0;
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') {
        const format = JSON.parse(event.data) as { sampleRate: number };
        audio = new AudioContext({ sampleRate: format.sampleRate });
        return;
      }
      if (!audio) return;
      const pcm = new Int16Array(event.data as ArrayBuffer);
      const buffer = audio.createBuffer(1, pcm.length, audio.sampleRate);
      const channel = buffer.getChannelData(0);
      for (let i = 0; i < pcm.length; i++) channel[i] = pcm[i]! / 32768;
      const source = audio.createBufferSource();
      source.buffer = buffer;
      source.connect(audio.destination);
      // A little latency absorbs network jitter; falling behind restarts from now.
      playAt = Math.max(playAt, audio.currentTime + 0.1);
      source.start(playAt);
      playAt += buffer.duration;
      setFrames((n) => n + 1);
    };
    socket.onclose = (event) => { if (event.code !== 1000) setError(event.reason || String(event.code)); };
    return () => { socket.close(); void audio?.close(); };
  }, [callId]);
  return { frames, ...(error ? { error } : {}) };
}

/** Registers the desk phone, then asks Deskline to ring it into the call as whisper or barge. */
function MonitorByPhone({ callId, mode }: { callId: string; mode: 'whisper' | 'barge' }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string>();
  const { phone, missing, error } = useDeskPhone((ready) => {
    api(`/calls/${encodeURIComponent(callId)}/monitor`, { method: 'POST', json: { mode, sink: { kind: 'phone', endpoint: `PJSIP/${ready.username}` } } })
      .catch((err: Error) => setProblem(err.message));
  });
  if (missing) return <p>{t('phone.none')}</p>;
  return (
    <>
      {(error || problem) && <p className="form-error" role="alert">{error ?? problem}</p>}
      <PhonePanel phone={phone} canDial={false} title={t(mode === 'whisper' ? 'wallboard.whispering' : 'wallboard.barging')} />
    </>
  );
}

export function LiveCalls({ calls }: { calls: LiveCall[] }) {
  const { t } = useI18n();
  const [listening, setListening] = useState<string>();
  const [monitor, setMonitor] = useState<{ callId: string; mode: 'whisper' | 'barge' }>();
  const live = calls.some((c) => c.callId === listening) ? listening : undefined;
  const { frames, error } = useListen(live);
  return (
    <section className="card live-calls" aria-labelledby="live-calls-title">
      <h2 id="live-calls-title">{t('wallboard.liveCalls')}</h2>
      {calls.length === 0 ? <p className="summary">{t('wallboard.noLiveCalls')}</p> : (
        <ul className="live-call-list">
          {calls.map((c) => (
            <li key={c.callId} data-call={c.callId} data-agent={c.agentId}>
              <span>{t('wallboard.callWith', { agent: c.agentId })}</span>
              <button type="button" aria-pressed={live === c.callId} onClick={() => setListening(live === c.callId ? undefined : c.callId)}>
                {live === c.callId ? t('wallboard.stopListening') : t('wallboard.listen')}
              </button>
              <button type="button" className="secondary" onClick={() => setMonitor({ callId: c.callId, mode: 'whisper' })}>{t('wallboard.whisper')}</button>
              <button type="button" className="secondary" onClick={() => setMonitor({ callId: c.callId, mode: 'barge' })}>{t('wallboard.barge')}</button>
              {live === c.callId && <span className="listen-state" role="status" data-frames={frames}>{error ? t('app.error', { message: error }) : t('wallboard.hearing', { seconds: Math.floor(frames / 50) })}</span>}
            </li>
          ))}
        </ul>
      )}
      {monitor && calls.some((c) => c.callId === monitor.callId) && <MonitorByPhone key={`${monitor.callId}-${monitor.mode}`} callId={monitor.callId} mode={monitor.mode} />}
    </section>
  );
}
