// The palette (one button per node kind: click to add) and the node list: every node as a
// button, with its kind and problems, so the flow can be walked and edited from the keyboard.
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { NODE_KINDS, type FlowDoc } from './node-kinds.ts';
import type { Problem } from './problems.ts';

export const kindName = (t: (k: MessageKey) => string, kind: string) => (NODE_KINDS.includes(kind) ? t(`flows.kind.${kind}` as MessageKey) : kind);

export function Palette({ onAdd }: { onAdd: (kind: string) => void }) {
  const { t } = useI18n();
  return (
    <section className="card palette" aria-labelledby="palette-title">
      <h2 id="palette-title">{t('flows.palette.title')}</h2>
      <ul>
        {NODE_KINDS.map((kind) => (
          <li key={kind}>
            <button type="button" className={`kind-button kind-${kind}`} onClick={() => onAdd(kind)} aria-label={t('flows.palette.add', { kind: kindName(t, kind) })} data-kind={kind}>
              <span aria-hidden="true" className="kind-dot" />{kindName(t, kind)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function NodeList({ doc, problems, selected, onSelect }: { doc: FlowDoc; problems: Record<string, Problem[]>; selected?: string; onSelect: (id: string) => void }) {
  const { t } = useI18n();
  const ids = Object.keys(doc.nodes);
  return (
    <section className="card node-list" aria-labelledby="node-list-title">
      <h2 id="node-list-title">{t('flows.outline.title')}</h2>
      {ids.length === 0 ? <p className="muted">{t('flows.outline.none')}</p> : (
        <ul>
          {ids.map((id) => {
            const errors = (problems[id] ?? []).filter((p) => p.severity === 'error').length;
            return (
              <li key={id}>
                <button type="button" className={`outline-item ${id === selected ? 'is-selected' : ''}`} aria-pressed={id === selected} onClick={() => onSelect(id)} data-node-button={id}>
                  <span className="outline-id">{id}</span>
                  <span className="outline-kind">{kindName(t, doc.nodes[id]!.kind)}{id === doc.start ? ` · ${t('flows.outline.start')}` : ''}</span>
                  {errors > 0 && <span className="badge-error">{t('flows.canvas.errors', { count: errors })}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
