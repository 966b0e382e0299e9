// Bars for the wallboard: a single meter (role=meter, so screen readers read the value) and a
// stacked bar of parts (agents by state) with a legend, since colour alone says nothing.
export function Meter({ label, value, max, text, tone = 'normal' }: { label: string; value: number; max: number; text: string; tone?: 'normal' | 'good' | 'warn' | 'bad' }) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value} aria-valuetext={text}>
      <div className={`meter-fill tone-${tone}`} style={{ width: `${share * 100}%` }} />
    </div>
  );
}

export interface Part { key: string; label: string; count: number }

export function StackedBar({ label, parts }: { label: string; parts: Part[] }) {
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  return (
    <figure className="stacked" aria-label={label}>
      <div className="stacked-bar" aria-hidden="true">
        {parts.filter((p) => p.count > 0).map((p) => <div key={p.key} className={`part part-${p.key}`} style={{ flexGrow: p.count }} title={`${p.label}: ${p.count}`} />)}
        {total === 0 && <div className="part part-empty" style={{ flexGrow: 1 }} />}
      </div>
      <figcaption>
        <ul className="legend">
          {parts.map((p) => <li key={p.key}><span className={`swatch part-${p.key}`} aria-hidden="true" />{p.label} <strong>{p.count}</strong></li>)}
        </ul>
      </figcaption>
    </figure>
  );
}
