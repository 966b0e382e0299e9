// Synonyms and stop words per language: a variant callers say ("cellphone number", "手机号码") is
// read as its canonical word by the matcher; stop words are ignored. Changes go live with the
// next publish, like articles.
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { issuesOf, LANGUAGES, saveLexicon, type Language, type LanguageLexicon } from './knowledge-api.ts';

interface Row { key: number; variant: string; canonical: string }
let nextKey = 1;

export function Synonyms({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const [language, setLanguage] = useState<Language>(locale === 'zh-CN' ? 'zh-CN' : 'en');
  const [rows, setRows] = useState<Row[]>();
  const [stopWords, setStopWords] = useState('');
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();

  const show = (v: number, lexicon: LanguageLexicon) => {
    setVersion(v);
    setRows(Object.entries(lexicon.synonyms).map(([variant, canonical]) => ({ key: nextKey++, variant, canonical })));
    setStopWords(lexicon.stopWords.join('\n'));
  };

  useEffect(() => {
    setRows(undefined);
    setStatus(undefined);
    setError(undefined);
    api<{ version: number; lexicon: LanguageLexicon }>(`/knowledge/lexicons/${language}`).then((r) => show(r.version, r.lexicon), (err: Error) => setError(err.message));
  }, [language]);

  const update = (key: number, field: 'variant' | 'canonical', value: string) => setRows((rs) => rs?.map((r) => (r.key === key ? { ...r, [field]: value } : r)));
  const save = async () => {
    if (!rows) return;
    setError(undefined);
    setStatus(undefined);
    const synonyms: Record<string, string> = {};
    for (const r of rows) if (r.variant.trim() && r.canonical.trim()) synonyms[r.variant.trim()] = r.canonical.trim();
    try {
      const saved = await saveLexicon(language, { synonyms, stopWords: stopWords.split('\n').map((s) => s.trim()).filter(Boolean) }, version);
      show(saved.version, saved.lexicon);
      setStatus(t('knowledge.synonyms.saved', { version: saved.version }));
    } catch (err) {
      const issues = issuesOf(err);
      setError(issues.length ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : (err as Error).message);
    }
  };

  return (
    <section aria-labelledby="synonyms-title">
      <div className="toolbar">
        <h2 id="synonyms-title">{t('knowledge.synonyms.title')}</h2>
        <div className="field-inline">
          <label htmlFor="synonyms-language">{t('knowledge.field.language')}</label>
          <select id="synonyms-language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => <option key={l} value={l}>{t(`knowledge.language.${l}` as MessageKey)}</option>)}
          </select>
        </div>
      </div>
      <p className="hint">{t('knowledge.synonyms.hint')}</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {status && <p className="notice" role="status">{status}</p>}
      {!rows && !error && <p aria-busy="true">{t('app.loading')}</p>}
      {rows && (
        <form className="card synonyms-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <table className="synonym-table">
            <caption className="muted">{t('knowledge.synonyms.version', { version })}</caption>
            <thead><tr><th scope="col">{t('knowledge.synonyms.variant')}</th><th scope="col">{t('knowledge.synonyms.canonical')}</th><th scope="col"><span className="visually-hidden">{t('knowledge.synonyms.actions')}</span></th></tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.key}>
                  <td><input lang={language} aria-label={t('knowledge.synonyms.variantN', { n: i + 1 })} value={r.variant} onChange={(e) => update(r.key, 'variant', e.target.value)} disabled={!canWrite} /></td>
                  <td><input lang={language} aria-label={t('knowledge.synonyms.canonicalN', { n: i + 1 })} value={r.canonical} onChange={(e) => update(r.key, 'canonical', e.target.value)} disabled={!canWrite} /></td>
                  <td>{canWrite && <button type="button" className="secondary" onClick={() => setRows((rs) => rs?.filter((x) => x.key !== r.key))}>{t('knowledge.synonyms.remove', { variant: r.variant || String(i + 1) })}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canWrite && <p><button type="button" className="secondary" onClick={() => setRows((rs) => [...(rs ?? []), { key: nextKey++, variant: '', canonical: '' }])}>{t('knowledge.synonyms.add')}</button></p>}
          <div className="field">
            <label htmlFor="stop-words">{t('knowledge.synonyms.stopWords')}</label>
            <textarea id="stop-words" rows={5} lang={language} value={stopWords} onChange={(e) => setStopWords(e.target.value)} disabled={!canWrite} aria-describedby="stop-words-hint" />
            <small id="stop-words-hint" className="hint">{t('knowledge.hint.lines')}</small>
          </div>
          {canWrite && <div className="actions"><button type="submit">{t('knowledge.synonyms.save')}</button></div>}
        </form>
      )}
    </section>
  );
}
