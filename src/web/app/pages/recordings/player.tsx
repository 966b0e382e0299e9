// One recording played in the page: the WAV is fetched once (each fetch is audited as a listen),
// decoded for the waveform and handed to the <audio> element as an object URL, so a view costs
// one listen, not two. Speed control, and the transcript lines placed in the recording: the line
// being heard is highlighted, clicking a line plays from there.
import { useCallback, useEffect, useRef, useState } from 'react';
import { API, apiError } from '../../api.ts';
import { duration } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { currentLine, type TimedLine } from './timeline.ts';
import type { Recording } from './types.ts';
import { peaksOf, Waveform } from './waveform.tsx';

export const SPEEDS = [0.75, 1, 1.25, 1.5, 2] as const;
const BUCKETS = 800;

interface Loaded { url: string; peaks: Float32Array | undefined; decoded: number | undefined }

/** Fetches the audio once per recording; decodes it for the waveform (a failed decode still plays). */
function useRecordingAudio(recordingId: string): { loaded?: Loaded; error?: string } {
  const [state, setState] = useState<{ loaded?: Loaded; error?: string }>({});
  useEffect(() => {
    const abort = new AbortController();
    let url: string | undefined;
    setState({});
    (async () => {
      const res = await fetch(`${API}/recordings/${encodeURIComponent(recordingId)}/audio`, { credentials: 'same-origin', signal: abort.signal });
      if (!res.ok) throw apiError(res.status, await res.json().catch(() => undefined), res.statusText);
      const bytes = await res.arrayBuffer();
      url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
      let peaks: Float32Array | undefined, decoded: number | undefined;
      try {
        // An offline context decodes without the autoplay rules of a live one; 8 kHz is plenty to draw.
        const audio = await new OfflineAudioContext(1, 1, 8000).decodeAudioData(bytes.slice(0));
        peaks = peaksOf(audio.getChannelData(0), BUCKETS);
        decoded = audio.duration;
      } catch {
        peaks = undefined;
      }
      if (!abort.signal.aborted) setState({ loaded: { url, peaks, decoded } });
    })().catch((error: Error) => { if (!abort.signal.aborted) setState({ error: error.message }); });
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [recordingId]);
  return state;
}

export function Player({ recording, lines }: { recording: Recording; lines: TimedLine[] }) {
  const { t } = useI18n();
  const { loaded, error } = useRecordingAudio(recording.id);
  const audio = useRef<HTMLAudioElement>(null);
  const [position, setPosition] = useState(0);
  const [speed, setSpeed] = useState<number>(1);
  const [playing, setPlaying] = useState(false);
  const total = loaded?.decoded ?? recording.durationSeconds;

  // While playing, follow the audio every frame (timeupdate alone comes only a few times a second).
  useEffect(() => {
    if (!playing) return;
    let frame = requestAnimationFrame(function tick() {
      if (audio.current) setPosition(audio.current.currentTime);
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  const seek = useCallback((seconds: number) => {
    const element = audio.current;
    if (!element) return;
    element.currentTime = Math.max(0, seconds);
    setPosition(element.currentTime);
  }, []);

  const onSpeed = (value: number) => {
    setSpeed(value);
    if (audio.current) {
      audio.current.playbackRate = value;
      audio.current.defaultPlaybackRate = value;
    }
  };

  const current = currentLine(lines, position);
  const currentRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (playing) currentRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [current, playing]);

  return (
    <>
      <section className="card rec-player" aria-labelledby="rec-player-title">
        <h2 id="rec-player-title">{t('recordings.player')}</h2>
        {error && <p className="form-error" role="alert">{t('recordings.audioFailed', { message: error })}</p>}
        {!loaded && !error && <p aria-busy="true">{t('recordings.audioLoading')}</p>}
        {loaded && (
          <>
            {loaded.peaks
              ? <Waveform peaks={loaded.peaks} position={position} durationSeconds={total} label={t('recordings.waveform')} onSeek={seek} />
              : <p className="summary">{t('recordings.noWaveform')}</p>}
            <div className="rec-controls">
              <audio
                ref={audio} controls preload="auto" src={loaded.url} aria-label={t('recordings.audio')}
                onTimeUpdate={(e) => setPosition(e.currentTarget.currentTime)} onSeeked={(e) => setPosition(e.currentTarget.currentTime)}
                onPlay={() => setPlaying(true)} onPause={() => setPlaying(false)} onEnded={() => setPlaying(false)}
                onLoadedMetadata={(e) => { e.currentTarget.playbackRate = speed; e.currentTarget.defaultPlaybackRate = speed; }}
              />
              <div className="field-inline">
                <label htmlFor="rec-speed">{t('recordings.speed')}</label>
                <select id="rec-speed" value={speed} onChange={(e) => onSpeed(Number(e.target.value))}>
                  {SPEEDS.map((s) => <option key={s} value={s}>{t('recordings.speedValue', { speed: s })}</option>)}
                </select>
              </div>
              <span className="rec-time" aria-live="off">{duration(position)} / {duration(total)}</span>
            </div>
          </>
        )}
      </section>
      <section className="card rec-transcript" aria-labelledby="rec-transcript-title">
        <h2 id="rec-transcript-title">{t('recordings.transcript')}</h2>
        {lines.length === 0 ? <p>{t('recordings.noTranscript')}</p> : (
          <>
            <p className="summary">{t('recordings.transcriptHint')}</p>
            <ol className="rec-lines">
              {lines.map((line, i) => {
                const isCurrent = i === current;
                const leg = <span className={`leg leg-${line.leg === 'agent' ? 'agent' : 'caller'}`}>{t(line.leg === 'agent' ? 'recordings.leg.agent' : 'recordings.leg.caller')}</span>;
                return (
                  <li key={i} ref={isCurrent ? currentRef : undefined} className={isCurrent ? 'current' : undefined} data-line={i} {...(line.start !== undefined ? { 'data-start': line.start.toFixed(3) } : {})}>
                    {line.start !== undefined ? (
                      <button type="button" className="line" aria-current={isCurrent ? 'true' : undefined} disabled={!loaded} onClick={() => seek(line.start!)}>
                        <span className="at">{duration(line.start)}</span>{leg}<span className="words">{line.text}</span>
                        {isCurrent && <span className="sr-only"> {t('recordings.nowPlaying')}</span>}
                      </button>
                    ) : (
                      <div className="line outside"><span className="at">—</span>{leg}<span className="words">{line.text}</span><span className="note">{t(`recordings.where.${line.where}` as MessageKey)}</span></div>
                    )}
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
    </>
  );
}
