// The agent console: the agent's state, their browser softphone, and around the call the screen
// pop, the live transcript of both legs with the top knowledge suggestions, transfer and a
// follow-up. An account not linked to an agent sees why the page is empty.
import type { Me } from '../api.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { PhonePanel, useSoftphone } from '../softphone/phone-panel.tsx';
import { FollowupForm, StateBar, TransferForm } from './agent/call-actions.tsx';
import { ScreenPopCard, SuggestionsCard, TranscriptCard } from './agent/call-panels.tsx';
import { DispositionPanel } from './agent/disposition-panel.tsx';
import { PreviewCard } from './agent/preview-card.tsx';
import { useAgentConsole } from './agent/use-console.ts';
import './agent.css';

export function AgentPage({ me }: { me: Me }) {
  const { t } = useI18n();
  if (!me.agentId) {
    return <main id="main" className="page"><h1>{t('agent.title')}</h1><p>{t('agent.notLinked')}</p></main>;
  }
  return <AgentConsole agentId={me.agentId} />;
}

function AgentConsole({ agentId }: { agentId: string }) {
  const { t } = useI18n();
  const { agent, call, preview, lines, suggestions, live, error, refresh } = useAgentConsole(agentId);
  const { phone, missing, error: phoneError } = useSoftphone('agent');
  return (
    <main id="main" className="page agent-console">
      <div className="page-head">
        <h1>{t('agent.title')} · {agentId}</h1>
        <span className={`live ${live ? 'is-live' : 'is-offline'}`} role="status">{live ? t('wallboard.live') : t('wallboard.offline')}</span>
      </div>
      {error && <p className="form-error" role="alert">{t('app.error', { message: error })}</p>}
      <div className="console-grid">
        <div className="console-side">
          {agent && <StateBar agent={agent} onChanged={() => void refresh()} />}
          {missing ? <section className="card"><p>{t('phone.none')}</p></section>
            : <PhonePanel phone={phone} canDial={false} title={t('phone.title')} />}
          {phoneError && <p className="form-error" role="alert">{phoneError}</p>}
          {call && <TransferForm callId={call.callId} />}
        </div>
        <div className="console-main">
          {preview && <PreviewCard agentId={agentId} preview={preview} onDone={() => void refresh()} />}
          {call ? <ScreenPopCard call={call} /> : <section className="card"><p>{t('agent.noCall')}</p></section>}
          <DispositionPanel callId={call?.callId} onCall={agent?.state === 'on-call' || agent?.state === 'ringing'} />
          <TranscriptCard lines={lines} />
          <SuggestionsCard callId={call?.callId} suggestions={suggestions} />
          {call && <FollowupForm callId={call.callId} callerNumber={call.caller.number} />}
        </div>
      </div>
    </main>
  );
}
