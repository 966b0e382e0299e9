// The property panel of the selected node: id (rename), start, every field of its kind with a
// label, and the validator's messages under the field they concern (inline validation).
import { useState } from 'react';
import type { Me } from '../../api.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { FieldEditor } from './fields.tsx';
import type { FlowApi } from './flow-api.ts';
import { COMMON_FIELDS, FIELDS, type FlowDoc, type FlowNode } from './node-kinds.ts';
import { kindName } from './palette.tsx';
import type { PlacedProblems } from './problems.ts';

const nodeIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function PropertyPanel({ nodeId, node, doc, problems, readOnly, client, otherFlows, me, onChange, onDelete, onRename, onMakeStart }: {
  nodeId?: string; node?: FlowNode; doc: FlowDoc; problems: PlacedProblems; readOnly: boolean; client: FlowApi; otherFlows: string[]; me: Me;
  onChange: (node: FlowNode) => void; onDelete: () => void; onRename: (from: string, to: string) => void; onMakeStart: () => void;
}) {
  const { t } = useI18n();
  const [newId, setNewId] = useState(nodeId ?? '');
  const [badId, setBadId] = useState(false);
  if (!nodeId || !node) {
    return <section className="card panel" aria-labelledby="panel-title"><h2 id="panel-title">{t('flows.panel.title')}</h2><p className="muted">{t('flows.panel.none')}</p></section>;
  }
  const mine = problems.byNode[nodeId] ?? [];
  const fields = [...COMMON_FIELDS, ...(FIELDS[node.kind] ?? [])];
  const known = new Set(fields.map((f) => f.name));
  // Problems on the node as a whole (unreachable, loops, warnings) and on fields the panel does not show.
  const general = mine.filter((p) => p.path.length <= 2 || !known.has(String(p.path[2])));
  const rename = () => {
    if (newId === nodeId) return;
    if (!nodeIdPattern.test(newId) || newId in doc.nodes) return setBadId(true);
    setBadId(false);
    onRename(nodeId, newId);
  };
  return (
    <section className="card panel" aria-labelledby="panel-title" data-panel-node={nodeId}>
      <h2 id="panel-title">{t('flows.panel.node', { kind: kindName(t, node.kind), id: nodeId })}</h2>
      {general.length > 0 && (
        <div role="group" aria-label={t('flows.panel.problems')}>
          <ul className="problems">{general.map((p, i) => <li key={i} className={`problem-${p.severity}`}>{p.message}</li>)}</ul>
        </div>
      )}
      <fieldset disabled={readOnly} className="panel-fields">
        <div className="field">
          <label htmlFor="node-id">{t('flows.panel.id')}</label>
          <div className="row">
            <input id="node-id" value={newId} onChange={(e) => setNewId(e.target.value.trim())} aria-invalid={badId || undefined} aria-describedby={badId ? 'node-id-error' : undefined} onKeyDown={(e) => { if (e.key === 'Enter') rename(); }} />
            <button type="button" className="secondary" onClick={rename} disabled={newId === nodeId}>{t('flows.panel.rename')}</button>
          </div>
          {badId && <p id="node-id-error" className="field-error">{t('flows.panel.badId')}</p>}
        </div>
        {doc.start === nodeId ? <p className="muted">{t('flows.panel.isStart')}</p> : <button type="button" className="secondary" onClick={onMakeStart}>{t('flows.panel.makeStart')}</button>}
        {fields.map((spec) => (
          <FieldEditor key={spec.name} spec={spec} nodeId={nodeId} node={node} doc={doc} problems={problems.byField[`${nodeId}/${spec.name}`] ?? []}
            onChange={onChange} client={client} otherFlows={otherFlows} me={me} />
        ))}
        <button type="button" className="danger" onClick={onDelete}>{t('flows.panel.delete')}</button>
      </fieldset>
    </section>
  );
}
