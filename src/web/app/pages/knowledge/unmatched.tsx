// What callers asked the bot that no article answered well enough (GET /knowledge/analytics,
// grouped by similarity), largest group first; one click starts an article from a group, its
// wordings as the standard and similar questions.
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { navigate } from '../../router.tsx';
import { handDraft, type QuestionGroup } from './knowledge-api.ts';

const RANGES = [1, 7, 30, 90] as const;

export function Unmatched({ canWrite }: { canWrite: boolean }) {
  const { t, locale } = useI18n();
  const [days, setDays] = useState<number>(7);
  const [data, setData] = useState<{ questions: number; groups: QuestionGroup[] }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let stale = false;
    setData(undefined);
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    api<{ unmatched: { questions: number; groups: QuestionGroup[] } }>(`/knowledge/analytics?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&unmatched=100`)
      .then((r) => { if (!stale) setData(r.unmatched); }, (err: Error) => { if (!stale) setError(err.message); });
    return () => { stale = true; };
  }, [days]);

  const makeArticle = (g: QuestionGroup) => {
    const [first, ...rest] = g.examples.map((e) => e.text);
    handDraft({ language: g.language, title: g.representative, standardQuestion: first ?? g.representative, similarQuestions: rest });
    navigate('/knowledge/new');
  };

  return (
    <section aria-labelledby="unmatched-title">
      <div className="toolbar">
        <h2 id="unmatched-title">{t('knowledge.unmatched.title')}</h2>
        <div className="field-inline">
          <label htmlFor="unmatched-days">{t('knowledge.unmatched.range')}</label>
          <select id="unmatched-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {RANGES.map((d) => <option key={d} value={d}>{t('knowledge.unmatched.days', { days: d })}</option>)}
          </select>
        </div>
      </div>
      <p className="hint">{t('knowledge.unmatched.hint')}</p>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      {!data && !error && <p aria-busy="true">{t('app.loading')}</p>}
      {data && <p className="summary" aria-live="polite">{t('knowledge.unmatched.count', { questions: data.questions, groups: data.groups.length })}</p>}
      {data && data.groups.length > 0 && (
        <ul className="unmatched-list">
          {data.groups.map((g) => (
            <li key={`${g.language} ${g.representative}`} className="card unmatched" data-question={g.representative}>
              <div className="match-head">
                <strong lang={g.language}>“{g.representative}”</strong>
                <span className="badge">{t('knowledge.unmatched.asked', { count: g.count })}</span>
                <span className="muted">{t(`knowledge.language.${g.language}` as MessageKey)}{g.lastAt ? ` · ${t('knowledge.unmatched.last', { at: dateTime(g.lastAt, locale) })}` : ''}</span>
              </div>
              {g.examples.length > 1 && <p className="muted" lang={g.language}>{t('knowledge.unmatched.also', { examples: g.examples.slice(1).map((e) => `“${e.text}”`).join(', ') })}</p>}
              {g.articles.length > 0 && <p className="muted">{t('knowledge.unmatched.near', { articles: g.articles.map((a) => `${a.id} (${Math.round(a.bestConfidence * 100)}%)`).join(', ') })}</p>}
              {canWrite && <button type="button" onClick={() => makeArticle(g)} aria-label={t('knowledge.unmatched.makeFor', { question: g.representative })}>{t('knowledge.unmatched.make')}</button>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
