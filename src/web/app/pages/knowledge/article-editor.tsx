// One article's editor: every field with its label and its own error text (the API names each bad
// field), the language the article is written in (lang= on the inputs, so Chinese articles get
// Chinese input and fonts), save as a new version (If-Match: never over someone else's edit), and
// the version history beside it.
import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { api, ApiError, type Me } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { navigate } from '../../router.tsx';
import { articleOf, emptyForm, fieldOf, formOf, type ArticleForm } from './article-form.ts';
import { dropDraft, issuesOf, LANGUAGES, saveArticle, slugOf, takeDraft, type Article, type ArticleVersion, type FieldIssue } from './knowledge-api.ts';
import { AudioAnswer } from './audio-answer.tsx';
import { VersionHistory } from './version-history.tsx';

type Field = keyof ArticleForm;

export function ArticleEditor({ id, me, publishedAt }: { id?: string; me: Me; publishedAt: number | undefined }) {
  const { t, locale } = useI18n();
  const canWrite = me.permissions.includes('knowledge.write');
  const [form, setForm] = useState<ArticleForm>();
  const [version, setVersion] = useState(0);
  const [publishedVersion, setPublishedVersion] = useState<number | null>(null);
  const [history, setHistory] = useState<ArticleVersion[]>([]);
  const [idTouched, setIdTouched] = useState(Boolean(id));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const load = useCallback(async () => {
    if (!id) return;
    try {
      const [one, versions] = await Promise.all([
        api<{ article: Article; version: number; publishedVersion: number | null }>(`/knowledge/articles/${encodeURIComponent(id)}`),
        api<{ history: ArticleVersion[] }>(`/knowledge/articles/${encodeURIComponent(id)}/versions`),
      ]);
      setForm(formOf(one.article));
      setVersion(one.version);
      setPublishedVersion(one.publishedVersion);
      setHistory(versions.history);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [id]);

  useEffect(() => {
    if (id) { void load(); return; }
    // A new article, maybe started from a caller's unmatched question.
    const draft = takeDraft();
    const start = emptyForm(draft?.language ?? (locale === 'zh-CN' ? 'zh-CN' : 'en'), me.username);
    setForm({ ...start, ...(draft ? formOf({ ...articleOf(start), ...draft } as Article) : {}), author: me.username });
    // Only when the article changes: a language switch must not reset what is being typed.
  }, [id, load]);

  // A publish while the editor is open changes what is live, never the fields being edited.
  useEffect(() => {
    if (!id || publishedAt === undefined) return;
    api<{ publishedVersion: number | null }>(`/knowledge/articles/${encodeURIComponent(id)}`).then((r) => setPublishedVersion(r.publishedVersion), () => undefined);
  }, [id, publishedAt]);

  if (!form) return error ? <p className="form-error" role="alert">{t('app.error', { message: error })}</p> : <p aria-busy="true">{t('app.loading')}</p>;

  const set = (field: Field) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
    const value = e.target.value;
    setForm((f) => {
      if (!f) return f;
      const next = { ...f, [field]: value } as ArticleForm;
      // The id follows the title until someone types one.
      if (field === 'title' && !id && !idTouched) next.id = slugOf(value);
      return next;
    });
    if (field === 'id') setIdTouched(true);
  };

  const save = async () => {
    setSaving(true);
    setIssues([]);
    setError(undefined);
    setStatus(undefined);
    try {
      const saved = await saveArticle(articleOf(form), id ? version : 0);
      if (!id) {
        dropDraft();
        navigate(`/knowledge/articles/${encodeURIComponent(saved.id)}`);
        return;
      }
      await load();
      setStatus(t('knowledge.editor.saved', { version: saved.version }));
    } catch (err) {
      const found = issuesOf(err);
      setIssues(found);
      if (err instanceof ApiError && err.status === 412) setError(t('knowledge.editor.conflict'));
      else if (err instanceof ApiError && err.code === 'KB_INVALID_ARTICLE') setError(t('knowledge.editor.invalid', { count: found.length }));
      else setError((err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const problems = (field: Field) => issues.filter((i) => fieldOf(i) === field);
  const lang = form.language;
  const input = (field: Field, label: MessageKey, options: { multiline?: number; hint?: MessageKey; type?: string; required?: boolean; inLanguage?: boolean; disabled?: boolean } = {}) => {
    const mine = problems(field);
    const describedBy = [options.hint ? `kb-${field}-hint` : '', mine.length ? `kb-${field}-error` : ''].filter(Boolean).join(' ') || undefined;
    const common = {
      id: `kb-${field}`, value: form[field], onChange: set(field), 'aria-invalid': mine.length ? true : undefined, 'aria-describedby': describedBy,
      required: options.required, disabled: !canWrite || options.disabled, ...(options.inLanguage ? { lang } : {}),
    };
    return (
      <div className={`field${mine.length ? ' has-error' : ''}`}>
        <label htmlFor={`kb-${field}`}>{t(label)}{options.required && <span aria-hidden="true"> *</span>}</label>
        {options.multiline ? <textarea rows={options.multiline} {...common} /> : <input type={options.type ?? 'text'} {...common} />}
        {options.hint && <small id={`kb-${field}-hint`} className="hint">{t(options.hint)}</small>}
        {mine.length > 0 && <span id={`kb-${field}-error`} className="field-error">{mine.map((i) => `${i.path}: ${i.message}`).join('; ')}</span>}
      </div>
    );
  };
  // Problems of fields without an input of their own (the recordings are uploaded, not typed).
  const others = issues.filter((i) => ['other', 'audioEn', 'audioZh'].includes(fieldOf(i)));

  return (
    <div className="editor-layout">
      <form className="card article-form" aria-labelledby="editor-title" onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
        <h2 id="editor-title">{id ? t('knowledge.editor.edit', { title: form.title || id }) : t('knowledge.editor.new')}</h2>
        {id && (
          <p className="summary">
            {t('knowledge.editor.version', { version })}{' · '}
            {publishedVersion === null ? t('knowledge.notPublished') : publishedVersion === version ? t('knowledge.editor.live') : t('knowledge.editor.unpublished', { published: publishedVersion })}
          </p>
        )}
        <div className="form-row">
          {input('id', 'knowledge.field.id', { required: true, hint: 'knowledge.hint.id', disabled: Boolean(id) })}
          <div className="field">
            <label htmlFor="kb-language-field">{t('knowledge.field.language')}</label>
            <select id="kb-language-field" value={form.language} onChange={set('language')} disabled={!canWrite}>
              {LANGUAGES.map((l) => <option key={l} value={l}>{t(`knowledge.language.${l}` as MessageKey)}</option>)}
            </select>
          </div>
        </div>
        {input('title', 'knowledge.field.title', { required: true, inLanguage: true })}
        {input('standardQuestion', 'knowledge.field.standardQuestion', { required: true, inLanguage: true })}
        {input('similarQuestions', 'knowledge.field.similarQuestions', { multiline: 4, hint: 'knowledge.hint.lines', inLanguage: true })}
        {input('keywords', 'knowledge.field.keywords', { multiline: 2, hint: 'knowledge.hint.lines', inLanguage: true })}
        {input('answer', 'knowledge.field.answer', { multiline: 6, required: true, inLanguage: true })}
        {input('agentScript', 'knowledge.field.agentScript', { multiline: 4, hint: 'knowledge.hint.script', inLanguage: true })}
        <div className="form-row">
          {input('category', 'knowledge.field.category', { hint: 'knowledge.hint.category', inLanguage: true })}
          {input('tags', 'knowledge.field.tags', { hint: 'knowledge.hint.tags', inLanguage: true })}
        </div>
        <div className="form-row">
          {input('validFrom', 'knowledge.field.validFrom', { type: 'date' })}
          {input('validUntil', 'knowledge.field.validUntil', { type: 'date', hint: 'knowledge.hint.validity' })}
        </div>
        <fieldset className="audio">
          <legend>{t('knowledge.field.audio')}</legend>
          <p className="hint">{t('knowledge.hint.audio')}</p>
          {(['zh-CN', 'en'] as const).map((l) => (
            <AudioAnswer key={l} id={id} language={l} file={l === 'en' ? form.audioEn : form.audioZh} version={version} canWrite={canWrite}
              onStored={(v, _seconds) => {
                // Only the recording changed on the server: keep whatever else is being typed.
                setVersion(v.version);
                setHistory((h) => [...h, v]);
                setForm((f) => (f ? { ...f, [l === 'en' ? 'audioEn' : 'audioZh']: v.article?.answerAudio?.[l] ?? '' } : f));
              }} />
          ))}
        </fieldset>
        {others.length > 0 && <ul className="field-error">{others.map((i, k) => <li key={k}>{i.path || t('knowledge.editor.article')}: {i.message}</li>)}</ul>}
        {error && <p className="form-error" role="alert">{error}</p>}
        {status && <p className="notice" role="status">{status}</p>}
        {canWrite && <div className="actions"><button type="submit" disabled={saving}>{saving ? t('knowledge.editor.saving') : id ? t('knowledge.editor.save') : t('knowledge.editor.create')}</button></div>}
      </form>
      {id && <VersionHistory id={id} history={history} current={version} canWrite={canWrite} onRestored={(v) => { void load().then(() => setStatus(t('knowledge.versions.restored', { from: v.restoredFrom ?? 0, version: v.version }))); }} />}
    </div>
  );
}
