// The test panel: the simulator (POST /flows/{id}/simulate: the real interpreter, a scripted
// caller) with keys, speech and a queue outcome; its path lights up on the canvas. Below it, the
// slot where the browser softphone places a real call to the flow.
import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { FlowCallSlot } from './call-slot.tsx';
import { messageOf, type FlowApi, type SimulationResult } from './flow-api.ts';

const QUEUE_MODES = ['answered', 'overflow', 'wait', 'unavailable'] as const;

export function TestPanel({ flowId, client, result, onResult, beforeRun, routesVersion }: {
  flowId: string; client: FlowApi; result?: SimulationResult; onResult: (r: SimulationResult | undefined) => void;
  beforeRun: () => Promise<number | undefined>; routesVersion: number;
}) {
  const { t } = useI18n();
  const [digits, setDigits] = useState('');
  const [say, setSay] = useState('');
  const [queue, setQueue] = useState<(typeof QUEUE_MODES)[number]>('answered');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [numbers, setNumbers] = useState<string[]>([]);

  useEffect(() => {
    client.routes().then((r) => setNumbers(r.routes.filter((x) => x.flow === flowId && !x.number.includes('*')).map((x) => x.number)), () => setNumbers([]));
  }, [client, flowId, routesVersion]);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if ((await beforeRun()) === undefined) return;
      onResult(await client.simulate(flowId, {
        digits: digits.split(/\s+/).filter(Boolean),
        say: say.split('\n').map((s) => s.trim()).filter(Boolean),
        queue,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      }));
    } catch (err) {
      setError(messageOf(err));
      onResult(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card test-panel" aria-labelledby="test-title">
      <h2 id="test-title">{t('flows.test.title')}</h2>
      <form onSubmit={run} className="form-grid">
        <label htmlFor="sim-digits">{t('flows.test.digits')}</label>
        <div>
          <input id="sim-digits" value={digits} onChange={(e) => setDigits(e.target.value)} aria-describedby="sim-digits-help" className="mono" autoComplete="off" />
          <p id="sim-digits-help" className="help">{t('flows.test.digitsHelp')}</p>
        </div>
        <label htmlFor="sim-say">{t('flows.test.say')}</label>
        <div>
          <textarea id="sim-say" rows={2} value={say} onChange={(e) => setSay(e.target.value)} aria-describedby="sim-say-help" />
          <p id="sim-say-help" className="help">{t('flows.test.sayHelp')}</p>
        </div>
        <label htmlFor="sim-queue">{t('flows.test.queue')}</label>
        <select id="sim-queue" value={queue} onChange={(e) => setQueue(e.target.value as typeof queue)}>
          {QUEUE_MODES.map((m) => <option key={m} value={m}>{t(`flows.test.queue.${m}` as MessageKey)}</option>)}
        </select>
        <p className="help span">{t('flows.test.saveFirst')}</p>
        <div className="span row">
          <button type="submit" disabled={busy}>{busy ? t('flows.test.running') : t('flows.test.run')}</button>
          {result && <button type="button" className="secondary" onClick={() => onResult(undefined)}>{t('flows.test.clear')}</button>}
        </div>
      </form>
      <div aria-live="polite" className="sim-result">
        {error && <p className="form-error" role="alert">{t('flows.status.failed', { message: error })}</p>}
        {result && (
          <>
            <p className="sim-outcome"><strong>{t('flows.test.outcome', { outcome: result.outcome })}</strong></p>
            <h3>{t('flows.test.path', { count: result.path.length })}</h3>
            <ol className="sim-path">{result.path.map((n, i) => <li key={i} data-step={n}>{n}</li>)}</ol>
            {result.prompts.length > 0 && (
              <>
                <h3>{t('flows.test.prompts')}</h3>
                <ul className="sim-prompts">{result.prompts.map((p, i) => <li key={i}><code>{p.node}</code> {p.prompts.map((x) => Object.values(x).join(' ')).join(' · ')}</li>)}</ul>
              </>
            )}
            {Object.keys(result.vars).length > 0 && (
              <>
                <h3>{t('flows.test.vars')}</h3>
                <ul className="sim-vars">{Object.entries(result.vars).map(([k, v]) => <li key={k}><code>{k}</code> = {JSON.stringify(v)}</li>)}</ul>
              </>
            )}
          </>
        )}
      </div>
      <FlowCallSlot flowId={flowId} numbers={numbers} />
    </section>
  );
}
