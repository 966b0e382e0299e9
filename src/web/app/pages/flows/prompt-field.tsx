// A node's prompt list: each entry a library prompt (picked from GET /prompts), text to speech, a
// spoken value or an Asterisk sound. "Listen" plays a library recording, or has the server speak
// a text (POST /prompts/preview) as a caller would hear it.
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { messageOf, type FlowApi, type PromptInfo } from './flow-api.ts';
import { asArray, asRecord, type FlowDoc } from './node-kinds.ts';

type Entry = Record<string, string>;
const TYPES = ['prompt', 'tts', 'say', 'sound'] as const;
const SAY = ['digits', 'number', 'date', 'currency'] as const;
type PromptType = (typeof TYPES)[number];

const typeOf = (e: Entry): PromptType => TYPES.find((k) => k in e) ?? 'tts';
const fresh = (type: PromptType): Entry => (type === 'say' ? { say: 'digits', value: '' } : { [type]: '' });

// The library changes rarely while a page is open: read once per page load.
let library: Promise<PromptInfo[]> | undefined;

export function PromptListField({ field, value, set, doc, client, required }: { field: string; value: unknown; set: (v: unknown) => void; doc: FlowDoc; client: FlowApi; required: boolean }) {
  const { t } = useI18n();
  const entries = asArray(value).map((e) => Object.fromEntries(Object.entries(asRecord(e)).map(([k, v]) => [k, String(v ?? '')])) as Entry);
  const [prompts, setPrompts] = useState<PromptInfo[]>([]);
  useEffect(() => {
    library ??= client.prompts().catch(() => { library = undefined; return []; });
    void library.then(setPrompts);
  }, [client]);
  const language = doc.defaultLanguage;
  const choices = prompts.filter((p) => p.language === language);
  const write = (next: Entry[]) => set(next.length || required ? next : undefined);
  return (
    <>
      <ol className="rows prompt-rows">
        {entries.map((entry, i) => {
          const type = typeOf(entry);
          const n = i + 1;
          const update = (patch: Entry) => write(entries.map((e, j) => (j === i ? patch : e)));
          return (
            <li key={i} className="prompt-row">
              <select aria-label={t('flows.prompt.type', { field, n })} value={type} onChange={(e) => update(fresh(e.target.value as PromptType))}>
                {TYPES.map((k) => <option key={k} value={k}>{t(`flows.prompt.type.${k}` as MessageKey)}</option>)}
              </select>
              {type === 'prompt' && (
                <select aria-label={t('flows.prompt.value', { field, n })} value={entry.prompt ?? ''} onChange={(e) => update({ prompt: e.target.value })}>
                  <option value="">{t('flows.prompt.choose')}</option>
                  {choices.map((p) => <option key={p.id} value={p.id}>{`${p.id} — ${p.catalogText ?? ''} (${p.recorded ? t('flows.prompt.recorded') : t('flows.prompt.ttsOnly')})`}</option>)}
                  {entry.prompt && !choices.some((p) => p.id === entry.prompt) && <option value={entry.prompt}>{entry.prompt}</option>}
                </select>
              )}
              {type === 'tts' && <input aria-label={t('flows.prompt.value', { field, n })} value={entry.tts ?? ''} onChange={(e) => update({ tts: e.target.value })} />}
              {type === 'sound' && <input aria-label={t('flows.prompt.value', { field, n })} value={entry.sound ?? ''} className="mono" onChange={(e) => update({ sound: e.target.value.trim() })} />}
              {type === 'say' && (
                <>
                  <select aria-label={t('flows.prompt.sayAs', { field, n })} value={entry.say ?? 'digits'} onChange={(e) => update({ say: e.target.value, value: entry.value ?? '' })}>
                    {SAY.map((k) => <option key={k} value={k}>{t(`flows.prompt.say.${k}` as MessageKey)}</option>)}
                  </select>
                  <input aria-label={t('flows.prompt.sayValue', { field, n })} value={entry.value ?? ''} className="mono" onChange={(e) => update({ say: entry.say ?? 'digits', value: e.target.value })} />
                </>
              )}
              <Preview entry={entry} type={type} language={language} prompts={choices} client={client} />
              <button type="button" className="secondary small" onClick={() => write(entries.filter((_, j) => j !== i))}>{t('flows.prompt.remove', { n })}</button>
            </li>
          );
        })}
      </ol>
      <button type="button" className="secondary small" onClick={() => write([...entries, { tts: '' }])}>{t('flows.prompt.add')}</button>
    </>
  );
}

function Preview({ entry, type, language, prompts, client }: { entry: Entry; type: PromptType; language: string; prompts: PromptInfo[]; client: FlowApi }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string>();
  const [state, setState] = useState<string>();
  useEffect(() => () => { if (url?.startsWith('blob:')) URL.revokeObjectURL(url); }, [url]);
  if (type === 'say' || type === 'sound') return <span className="help">{t('flows.prompt.noPreview')}</span>;
  const listen = async () => {
    setState(t('flows.prompt.previewing'));
    try {
      const info = type === 'prompt' ? prompts.find((p) => p.id === entry.prompt) : undefined;
      const text = type === 'tts' ? entry.tts : info?.catalogText;
      const next = info?.recorded ? client.audioUrl(language, info.id) : await client.ttsPreview(text || '…', language);
      setUrl(next);
      setState(undefined);
    } catch (err) {
      setState(t('flows.prompt.previewFailed', { message: messageOf(err) }));
    }
  };
  const empty = type === 'prompt' ? !entry.prompt : !entry.tts;
  return (
    <span className="preview">
      <button type="button" className="secondary small" onClick={() => void listen()} disabled={empty}>{t('flows.prompt.preview')}</button>
      {url && <audio controls autoPlay src={url} className="preview-audio" />}
      <span aria-live="polite" className="help">{state}</span>
    </span>
  );
}
