// A campaign's progress as two stacked bars drawn in SVG: its contacts by state (completed,
// exhausted, DNC, waiting to retry, dialing, pending) and its attempts by outcome. Each part is
// focusable and named "<state>: <count> of <total>"; the part under the mouse or the focus is also
// written out below the bar, and the legend tells every part by name and number, not by colour.
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { CONTACT_STATES, OUTCOMES, type Progress } from './campaign-model.ts';

interface Part { key: string; label: string; count: number }

const W = 400, H = 22;

function StackedParts({ id, title, parts, total, emptyText }: { id: string; title: string; parts: Part[]; total: number; emptyText: string }) {
  const { t, locale } = useI18n();
  const [active, setActive] = useState<string>();
  const share = (n: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(total ? n / total : 0);
  const describe = (p: Part) => t('campaigns.chart.part', { label: p.label, count: p.count, total, share: share(p.count) });
  let x = 0;
  const shown = parts.find((p) => p.key === active);
  return (
    <figure className="campaign-chart" aria-labelledby={`${id}-title`} data-chart={id}>
      <figcaption id={`${id}-title`} className="campaign-chart-title">{title}</figcaption>
      {total === 0 ? <p className="chart-empty">{emptyText}</p> : (
        <>
          <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="campaign-bar" role="group" aria-label={title}>
            {parts.filter((p) => p.count > 0).map((p) => {
              const w = (p.count / total) * W;
              const part = (
                <g key={p.key} role="img" aria-label={describe(p)} tabIndex={0} className="campaign-part"
                  onMouseEnter={() => setActive(p.key)} onMouseLeave={() => setActive(undefined)} onFocus={() => setActive(p.key)} onBlur={() => setActive(undefined)}>
                  <rect x={x} y={0} width={w} height={H} className={`seg seg-${p.key}`} />
                </g>
              );
              x += w;
              return part;
            })}
          </svg>
          <p className="campaign-chart-tip" aria-hidden="true">{shown ? describe(shown) : '\u00a0'}</p>
        </>
      )}
      <ul className="legend">
        {parts.map((p) => <li key={p.key}><span className={`swatch seg-${p.key}`} aria-hidden="true" />{p.label} <strong>{p.count}</strong></li>)}
      </ul>
    </figure>
  );
}

export function ProgressCharts({ id, progress }: { id: string; progress: Progress }) {
  const { t } = useI18n();
  const contacts = CONTACT_STATES.map((s) => ({ key: s, label: t(`campaigns.contactState.${s}` as MessageKey), count: progress.contacts[s] ?? 0 }));
  const attempts = OUTCOMES.map((o) => ({ key: `o-${o}`, label: t(`campaigns.outcome.${o}` as MessageKey), count: progress.attempts[o] ?? 0 }));
  const contactTotal = contacts.reduce((s, p) => s + p.count, 0);
  const ended = attempts.reduce((s, p) => s + p.count, 0);
  return (
    <div className="campaign-charts">
      <StackedParts id={`${id}-contacts`} title={t('campaigns.chart.contacts', { total: contactTotal })} parts={contacts} total={contactTotal} emptyText={t('campaigns.chart.noContacts')} />
      <StackedParts id={`${id}-attempts`} title={t('campaigns.chart.attempts', { total: progress.attempts.total, dialing: progress.dialingNow })} parts={attempts} total={ended} emptyText={t('campaigns.chart.noAttempts')} />
    </div>
  );
}
