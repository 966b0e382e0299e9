// "Test a question": ask the published knowledge base as a caller would and see the ranked
// articles with why each matched (the words that matched, the closest question and how close),
// and whether the bot would answer at all or hand the caller off.
import { useState } from 'react';
import { api } from '../../api.ts';
import { percent } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import { LANGUAGES, type AskAnswer, type Language } from './knowledge-api.ts';

export function AskBox() {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [language, setLanguage] = useState<Language>(locale === 'zh-CN' ? 'zh-CN' : 'en');
  const [answer, setAnswer] = useState<AskAnswer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const ask = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(await api<AskAnswer>('/knowledge/ask', { method: 'POST', json: { text, language, limit: 5 } }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="ask-title">
      <h2 id="ask-title">{t('knowledge.ask.title')}</h2>
      <p className="hint">{t('knowledge.ask.hint')}</p>
      <form className="card ask-form" onSubmit={(e) => { e.preventDefault(); void ask(); }}>
        <div className="field grow">
          <label htmlFor="ask-text">{t('knowledge.ask.question')}</label>
          <input id="ask-text" type="text" value={text} lang={language} onChange={(e) => setText(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="ask-language">{t('knowledge.field.language')}</label>
          <select id="ask-language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => <option key={l} value={l}>{t(`knowledge.language.${l}` as MessageKey)}</option>)}
          </select>
        </div>
        <button type="submit" disabled={busy || !text.trim()}>{t('knowledge.ask.submit')}</button>
      </form>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <div aria-live="polite">
        {answer && (
          <>
            <p className={`verdict ${answer.outOfScope ? 'is-out' : 'is-in'}`}>
              {answer.matches.length === 0 ? t('knowledge.ask.nothing') : answer.outOfScope ? t('knowledge.ask.outOfScope') : t('knowledge.ask.answers', { title: answer.matches[0]!.article.title })}
              {' '}<small className="muted">{t('knowledge.ask.took', { ms: Math.round(answer.ms * 10) / 10 })}</small>
            </p>
            {answer.warnings.length > 0 && <ul className="warnings">{answer.warnings.map((w) => <li key={w}>{w}</li>)}</ul>}
            <ol className="matches">
              {answer.matches.map((m, i) => (
                <li key={m.article.id} className="card match" data-match={m.article.id} aria-label={t('knowledge.ask.rank', { rank: i + 1, title: m.article.title })}>
                  <div className="match-head">
                    <span className="rank">{i + 1}</span>
                    <Link to={`/knowledge/articles/${encodeURIComponent(m.article.id)}`} lang={m.article.language}>{m.article.title}</Link>
                    <span className="confidence" role="meter" aria-label={t('knowledge.ask.confidence')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(m.confidence * 100)}>
                      {t('knowledge.ask.confidenceValue', { value: percent(m.confidence, locale) ?? '' })}
                    </span>
                  </div>
                  <p className="explain">
                    {m.matchedTerms.length ? t('knowledge.ask.matchedTerms', { terms: m.matchedTerms.join(', ') }) : t('knowledge.ask.noTerms')}
                    {m.closestQuestion && <><br />{t('knowledge.ask.closest', { question: m.closestQuestion.text, similarity: percent(m.closestQuestion.similarity, locale) ?? '' })}</>}
                    <br /><small className="muted">{t('knowledge.ask.score', { score: Math.round(m.score * 1000) / 1000 })}</small>
                  </p>
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
    </section>
  );
}
