// The agent console's call panels: the screen pop (who, repeat caller, IVR path and variables,
// what the FAQ bot heard), the live transcript of both legs, and the top knowledge suggestions
// (one click opens the article's answer and script; "helpful" is recorded for the call).
import { useState } from 'react';
import { api } from '../../api.ts';
import { dateTime } from '../../format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { ScreenPop, Suggestion, TranscriptLine } from './use-console.ts';

export function ScreenPopCard({ call }: { call: ScreenPop }) {
  const { t, locale } = useI18n();
  const vars = Object.entries(call.variables);
  return (
    <section className="card screen-pop" aria-labelledby="pop-title" data-call={call.callId}>
      <h2 id="pop-title">{t('agent.pop.title')}</h2>
      <p className="pop-caller"><span className="big">{call.caller.number || t('agent.pop.withheld')}</span>{call.caller.name && <span> · {call.caller.name}</span>}</p>
      {call.repeat && (
        <p className="badge-repeat" role="note">{t('agent.pop.repeat', { count: call.repeat.recentCalls, hours: call.repeat.windowHours })}</p>
      )}
      <dl className="pop-facts">
        <div><dt>{t('agent.pop.dialed')}</dt><dd>{call.dialed}</dd></div>
        {call.queue && <div><dt>{t('agent.pop.queue')}</dt><dd>{call.queue}</dd></div>}
        {call.language && <div><dt>{t('agent.pop.language')}</dt><dd>{call.language}</dd></div>}
        <div><dt>{t('agent.pop.started')}</dt><dd>{dateTime(call.startedAt, locale)}</dd></div>
      </dl>
      {call.path.length > 0 && (
        <>
          <h3>{t('agent.pop.path')}</h3>
          <ol className="pop-path">{call.path.map((p, i) => <li key={i}>{p.node} <small>({p.kind})</small></li>)}</ol>
        </>
      )}
      {call.inputs.length > 0 && <p className="pop-inputs">{t('agent.pop.pressed', { keys: call.inputs.map((i) => i.digit ?? i.digits ?? '').join(' ') })}</p>}
      {vars.length > 0 && (
        <>
          <h3>{t('agent.pop.variables')}</h3>
          <dl className="pop-vars">{vars.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>)}</dl>
        </>
      )}
      {call.bot && (
        <>
          <h3>{t('agent.pop.bot')}</h3>
          {call.bot.handoff && <p>{t('agent.pop.handoff', { reason: call.bot.handoff.reason })}</p>}
          <ul className="pop-bot">{call.bot.turns.filter((turn) => turn.text).map((turn, i) => <li key={i}>“{turn.text}” → {turn.articleId ?? t('agent.pop.noMatch')}</li>)}</ul>
        </>
      )}
      {call.repeat && call.repeat.calls.length > 0 && (
        <>
          <h3>{t('agent.pop.recent')}</h3>
          <ul className="pop-recent">{call.repeat.calls.map((c) => <li key={c.callId}>{dateTime(c.startedAt, locale)} · {c.outcome ?? t('agent.pop.stillUp')}</li>)}</ul>
        </>
      )}
    </section>
  );
}

export function TranscriptCard({ lines }: { lines: TranscriptLine[] }) {
  const { t } = useI18n();
  return (
    <section className="card transcript" aria-labelledby="transcript-title">
      <h2 id="transcript-title">{t('agent.transcript.title')}</h2>
      {lines.length === 0 ? <p className="summary">{t('agent.transcript.none')}</p> : (
        <ol className="transcript-lines" aria-live="polite">
          {lines.map((l) => <li key={l.key} className={`leg-${l.leg}`} data-leg={l.leg}><span className="leg">{l.leg === 'agent' ? t('agent.transcript.agent') : t('agent.transcript.caller')}</span> {l.text}</li>)}
        </ol>
      )}
    </section>
  );
}

interface Article { id: string; title: string; answer: string; agentScript: string }

export function SuggestionsCard({ callId, suggestions }: { callId: string | undefined; suggestions: Suggestion[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Article>();
  const [helpful, setHelpful] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string>();
  const act = (articleId: string, action: 'opened' | 'helpful') => (callId ? api(`/calls/${encodeURIComponent(callId)}/assist`, { method: 'POST', json: { articleId, action } }) : Promise.resolve());
  const openArticle = async (s: Suggestion) => {
    try {
      const r = await api<{ article: Article }>(`/knowledge/articles/${encodeURIComponent(s.articleId)}`);
      setOpen(r.article);
      await act(s.articleId, 'opened');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const markHelpful = async (articleId: string) => {
    try {
      await act(articleId, 'helpful');
      setHelpful((h) => new Set(h).add(articleId));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <section className="card suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">{t('agent.suggest.title')}</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      {suggestions.length === 0 ? <p className="summary">{t('agent.suggest.none')}</p> : (
        <ol className="suggestion-list" aria-live="polite">
          {suggestions.map((s) => (
            <li key={s.articleId} data-article={s.articleId}>
              <button type="button" className="link" onClick={() => void openArticle(s)}>{s.title}</button>
              <span className="confidence"> {t('agent.suggest.confidence', { percent: Math.round(s.confidence * 100) })}</span>
              {s.matchedTerms.length > 0 && <small className="terms"> · {s.matchedTerms.join(', ')}</small>}
            </li>
          ))}
        </ol>
      )}
      {open && (
        <article className="article-view" aria-labelledby="article-title" data-article={open.id}>
          <h3 id="article-title">{open.title}</h3>
          <h4>{t('agent.suggest.answer')}</h4>
          <p>{open.answer}</p>
          {open.agentScript && <><h4>{t('agent.suggest.script')}</h4><p className="script">{open.agentScript}</p></>}
          <div className="row">
            <button type="button" disabled={helpful.has(open.id) || !callId} onClick={() => void markHelpful(open.id)}>{helpful.has(open.id) ? t('agent.suggest.thanks') : t('agent.suggest.helpful')}</button>
            <button type="button" className="secondary" onClick={() => setOpen(undefined)}>{t('agent.suggest.close')}</button>
          </div>
        </article>
      )}
    </section>
  );
}
