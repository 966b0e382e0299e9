// One language's recorded answer in the editor: what file the bot plays (or that it reads the
// answer aloud), a player to hear it, and an upload that converts any common audio file into it.
import { useState } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { answerAudioUrl, uploadAnswerAudio, type ArticleVersion, type Language } from './knowledge-api.ts';

export function AudioAnswer({ id, language, file, version, canWrite, onStored }: {
  id: string | undefined; language: Language; file: string; version: number; canWrite: boolean; onStored: (v: ArticleVersion, seconds: number) => void;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const key = language === 'en' ? 'En' : 'Zh';
  const name = t(`knowledge.audio.language.${language}` as MessageKey);

  const upload = async () => {
    if (!id || !chosen) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const stored = await uploadAnswerAudio(id, language, chosen, version);
      onStored(stored.version, stored.durationSeconds);
      setMessage({ ok: true, text: t('knowledge.audio.stored', { seconds: Math.round(stored.durationSeconds * 10) / 10, version: stored.version.version }) });
    } catch (err) {
      // A server without the knowledge audio folder wired offers no upload route at all.
      const text = err instanceof ApiError && err.status === 404 && err.code === 'NOT_FOUND' ? t('knowledge.audio.unavailable') : (err as Error).message;
      setMessage({ ok: false, text });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="audio-answer" data-audio={language}>
      <p><strong>{name}</strong>: {file ? <code>{file}</code> : t('knowledge.audio.none')}</p>
      {/* preload none: nothing is fetched until someone presses play. */}
      {id && file && <audio controls preload="none" src={answerAudioUrl(id, language)} aria-label={t('knowledge.audio.listen', { language: name })} />}
      {canWrite && (id ? (
        <div className="field-inline upload">
          <label htmlFor={`kb-audio-file-${key}`}>{t('knowledge.audio.choose', { language: name })}</label>
          <input id={`kb-audio-file-${key}`} type="file" accept="audio/*" onChange={(e) => setChosen(e.target.files?.[0])} />
          <button type="button" className="secondary" disabled={!chosen || busy} onClick={() => void upload()}>{busy ? t('knowledge.audio.uploading') : t('knowledge.audio.upload')}</button>
        </div>
      ) : <p className="hint">{t('knowledge.audio.saveFirst')}</p>)}
      {message && <p className={message.ok ? 'notice' : 'form-error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
    </div>
  );
}
