// Prompts: the IVR prompt library per language (GET /prompts): catalog texts, recordings, their
// length and source; play a recording in the page; record one by uploading an audio file (PUT,
// the file as the body) or by TTS (POST …/tts), hear text first (POST /prompts/preview, saved
// nowhere); deleting a recording is confirmed (409 while a published flow plays it).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { API } from '../../api.ts';
import { dateTime, duration } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { ConfirmButton, Field, inputProps, Loading, OutcomeView, useAction, useLoad } from './form.tsx';
import { errorsUnder, request } from './request.ts';

interface Prompt { language: string; id: string; source: 'catalog' | 'file' | 'upload' | 'tts'; recorded: boolean; catalogText: string | null; durationSeconds: number | null; updatedAt: number | null; updatedBy: string | null; tts: { text: string; voice: string } | null }
type Voices = Record<string, { name: string; label: string; default: boolean }[]>;

const ACCEPTED = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'audio/mpeg', 'audio/mp3', 'audio/ogg', 'audio/flac', 'audio/x-flac', 'audio/aiff', 'audio/x-aiff', 'audio/basic'];
const audioUrl = (p: { language: string; id: string }, version: number | null) => `${API}/prompts/${encodeURIComponent(p.language)}/${encodeURIComponent(p.id)}/audio?v=${version ?? 0}`;

export function PromptsTab({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const [language, setLanguage] = useState('');
  const { data, error, reload } = useLoad(async () => {
    const [prompts, voices] = await Promise.all([request<{ items: Prompt[] }>(`/prompts?limit=1000&sort=id${language ? `&language=${encodeURIComponent(language)}` : ''}`), request<{ voices: Voices }>('/prompts/voices')]);
    return { prompts: prompts.items, voices: voices.voices };
  }, [language]);
  const [playing, setPlaying] = useState<string>();
  const [target, setTarget] = useState<{ language: string; id: string; text: string }>();
  const removal = useAction();
  if (!data) return <Loading error={error} retry={() => void reload()} />;
  const languages = [...new Set([...Object.keys(data.voices), ...data.prompts.map((p) => p.language)])].sort();

  return (
    <section aria-labelledby="prompts-title">
      <div className="tab-head">
        <h2 id="prompts-title">{t('admin.prompts.title')}</h2>
        <div className="field-inline">
          <label htmlFor="prompt-filter-language">{t('admin.prompts.language')}</label>
          <select id="prompt-filter-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
            <option value="">{t('admin.prompts.allLanguages')}</option>
            {languages.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </div>
      </div>
      <p className="hint">{t('admin.prompts.intro')}</p>
      {canWrite && <RecordForm key={target ? `${target.language}/${target.id}` : 'new'} voices={data.voices} languages={languages} initial={target} onStored={async (p) => { await reload(); setPlaying(`${p.language}/${p.id}`); }} />}
      <OutcomeView outcome={removal.outcome} />
      <div className="table-wrap">
        <table className="prompts">
          <thead><tr>
            <th scope="col">{t('admin.prompts.id')}</th><th scope="col">{t('admin.prompts.language')}</th><th scope="col">{t('admin.prompts.text')}</th>
            <th scope="col">{t('admin.prompts.source')}</th><th scope="col">{t('admin.prompts.length')}</th><th scope="col"><span className="visually-hidden">{t('admin.col.actions')}</span></th>
          </tr></thead>
          <tbody>
            {data.prompts.map((p) => {
              const key = `${p.language}/${p.id}`;
              return (
                <tr key={key} data-prompt={key}>
                  <th scope="row"><code>{p.id}</code></th>
                  <td>{p.language}</td>
                  <td>{p.tts?.text ?? p.catalogText ?? '—'}</td>
                  <td>{t(`admin.prompts.source.${p.source}` as MessageKey)}{p.updatedAt ? <div className="hint">{t('admin.byAt', { by: p.updatedBy ?? '—', at: dateTime(p.updatedAt, locale) })}</div> : null}</td>
                  <td>{p.recorded ? duration(p.durationSeconds) ?? '—' : t('admin.prompts.notRecorded')}</td>
                  <td className="actions">
                    {p.recorded && (playing === key
                      ? <audio controls autoPlay src={audioUrl(p, p.updatedAt)} aria-label={t('admin.prompts.player', { id: p.id, language: p.language })} data-player={key} />
                      : <button type="button" className="secondary" onClick={() => setPlaying(key)} aria-label={t('admin.prompts.playNamed', { id: p.id, language: p.language })}>{t('admin.prompts.play')}</button>)}
                    {canWrite && <button type="button" className="secondary" onClick={() => setTarget({ language: p.language, id: p.id, text: p.tts?.text ?? p.catalogText ?? '' })} aria-label={t('admin.prompts.recordNamed', { id: p.id, language: p.language })}>{t('admin.prompts.record')}</button>}
                    {canWrite && (p.source === 'upload' || p.source === 'tts') && (
                      <ConfirmButton label={t('admin.prompts.delete')} question={t('admin.prompts.deleteQuestion', { id: p.id, language: p.language })} confirm={t('admin.removeConfirm')}
                        onConfirm={() => removal.run(async () => { await request(`/prompts/${encodeURIComponent(p.language)}/${encodeURIComponent(p.id)}`, { method: 'DELETE' }); setPlaying(undefined); await reload(); return t('admin.prompts.deleted', { id: p.id, language: p.language }); })} />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RecordForm({ voices, languages, initial, onStored }: { voices: Voices; languages: string[]; initial: { language: string; id: string; text: string } | undefined; onStored: (p: Prompt) => Promise<void> }) {
  const { t } = useI18n();
  const [language, setLanguage] = useState(initial?.language ?? languages[0] ?? 'en');
  const [id, setId] = useState(initial?.id ?? '');
  const [how, setHow] = useState<'tts' | 'upload'>('tts');
  const [text, setText] = useState(initial?.text ?? '');
  const [voice, setVoice] = useState('');
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const action = useAction();
  const previewing = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview); }, [preview]);
  useEffect(() => { if (initial) formRef.current?.scrollIntoView({ block: 'nearest' }); }, [initial]);
  const err = (field: string) => errorsUnder(action.fields, field) ?? errorsUnder(previewing.fields, field);
  const base = `/prompts/${encodeURIComponent(language)}/${encodeURIComponent(id.trim() || '-')}`;
  const labelOf = (f: string) => (['language', 'id', 'text', 'voice'].includes(f) ? t(`admin.prompts.${f}` as MessageKey) : f);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await action.run(async () => {
      const stored = how === 'tts'
        ? await request<{ prompt: Prompt }>(`${base}/tts`, { method: 'POST', json: { text, ...(voice ? { voice } : {}) } })
        : await request<{ prompt: Prompt }>(base, { method: 'PUT', body: file ?? new Blob([]), contentType: file && ACCEPTED.includes(file.type) ? file.type : 'application/octet-stream' });
      await onStored(stored.prompt);
      return t('admin.prompts.stored', { id: stored.prompt.id, language: stored.prompt.language, seconds: stored.prompt.durationSeconds?.toFixed(1) ?? '?' });
    });
  };
  const hear = () => previewing.run(async () => {
    const audio = await request<Blob>('/prompts/preview', { method: 'POST', json: { text, language, ...(voice ? { voice } : {}) }, binary: true });
    setPreview(URL.createObjectURL(audio));
    return t('admin.prompts.previewReady');
  });

  return (
    <form ref={formRef} className="card admin-form" onSubmit={submit} aria-labelledby="prompt-form-title" noValidate>
      <h3 id="prompt-form-title">{t('admin.prompts.formTitle')}</h3>
      <div className="grid">
        <Field id="prompt-language" label={t('admin.prompts.language')} error={err('language')}>
          <select {...inputProps('prompt-language', err('language'))} value={language} onChange={(e) => { setLanguage(e.target.value); setVoice(''); }}>
            {languages.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </Field>
        <Field id="prompt-id" label={t('admin.prompts.id')} error={err('id')} hint={t('admin.prompts.idHint')}>
          <input {...inputProps('prompt-id', err('id'), true)} value={id} onChange={(e) => setId(e.target.value)} />
        </Field>
      </div>
      <fieldset className="checks">
        <legend>{t('admin.prompts.how')}</legend>
        <label className="check"><input type="radio" name="prompt-how" checked={how === 'tts'} onChange={() => setHow('tts')} /> {t('admin.prompts.howTts')}</label>
        <label className="check"><input type="radio" name="prompt-how" checked={how === 'upload'} onChange={() => setHow('upload')} /> {t('admin.prompts.howUpload')}</label>
      </fieldset>
      {how === 'tts' ? (
        <div className="grid">
          <Field id="prompt-text" label={t('admin.prompts.text')} error={err('text')} wide>
            <textarea {...inputProps('prompt-text', err('text'))} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          </Field>
          <Field id="prompt-voice" label={t('admin.prompts.voice')} error={err('voice')}>
            <select {...inputProps('prompt-voice', err('voice'))} value={voice} onChange={(e) => setVoice(e.target.value)}>
              <option value="">{t('admin.prompts.defaultVoice')}</option>
              {(voices[language] ?? []).map((v) => <option key={v.name} value={v.name}>{v.label}</option>)}
            </select>
          </Field>
        </div>
      ) : (
        <Field id="prompt-file" label={t('admin.prompts.file')} error={action.outcome.kind === 'error' && !Object.keys(action.fields).length ? action.outcome.message : undefined} hint={t('admin.prompts.fileHint')}>
          <input id="prompt-file" type="file" accept="audio/*,.wav,.mp3,.ogg,.flac,.aiff,.au" aria-describedby="prompt-file-hint" onChange={(e) => setFile(e.target.files?.[0])} />
        </Field>
      )}
      <OutcomeView outcome={action.outcome.kind === 'idle' ? previewing.outcome : action.outcome} labelOf={labelOf} />
      {preview && how === 'tts' && <audio controls src={preview} aria-label={t('admin.prompts.previewPlayer')} data-preview />}
      <div className="form-actions">
        <button type="submit" disabled={action.busy}>{action.busy ? t('admin.saving') : how === 'tts' ? t('admin.prompts.generate') : t('admin.prompts.upload')}</button>
        {how === 'tts' && <button type="button" className="secondary" disabled={previewing.busy} onClick={() => void hear()}>{t('admin.prompts.preview')}</button>}
      </div>
    </form>
  );
}
