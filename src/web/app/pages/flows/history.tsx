// Version history: every published version (GET /flows/{id}/versions/{v}), the live one marked,
// what each changed from the one before (and the draft from the live one), field by field; an
// earlier version can be made live again (rollback).
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { diffFlows, isEmptyDiff, type FieldChange, type FlowDiff } from './diff.ts';
import { messageOf, type FlowApi } from './flow-api.ts';
import type { FlowDoc } from './node-kinds.ts';
import { kindName } from './palette.tsx';

export function History({ flowId, client, published, versions, draft, readOnly, onRolledBack }: {
  flowId: string; client: FlowApi; published: number | null; versions: number; draft: FlowDoc; readOnly: boolean; onRolledBack: (version: number) => void;
}) {
  const { t } = useI18n();
  const [docs, setDocs] = useState<Record<number, FlowDoc>>({});
  const [open, setOpen] = useState<number | 'draft'>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // Versions are immutable: each is read once.
  useEffect(() => {
    const missing = Array.from({ length: versions }, (_, i) => i + 1).filter((v) => !docs[v]);
    if (!missing.length) return;
    Promise.all(missing.map(async (v) => [v, await client.version(flowId, v)] as const))
      .then((read) => setDocs((d) => ({ ...d, ...Object.fromEntries(read) })), (err: unknown) => setError(messageOf(err)));
  }, [client, flowId, versions, docs]);

  const rollback = async (version: number) => {
    setBusy(true);
    try {
      await client.rollback(flowId, version);
      onRolledBack(version);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const list = Array.from({ length: versions }, (_, i) => versions - i);
  const live = published ? docs[published] : undefined;
  return (
    <section className="card history" aria-labelledby="history-title">
      <h2 id="history-title">{t('flows.history.title')}</h2>
      {error && <p className="form-error" role="alert">{t('flows.status.failed', { message: error })}</p>}
      {versions === 0 && <p>{t('flows.history.none')}</p>}
      {live && (
        <div className="version">
          <button type="button" className="secondary small" aria-expanded={open === 'draft'} onClick={() => setOpen(open === 'draft' ? undefined : 'draft')}>{t('flows.history.compareDraft')}</button>
          {open === 'draft' && <DiffView diff={diffFlows(live, draft)} />}
        </div>
      )}
      <ol className="versions" reversed>
        {list.map((v) => (
          <li key={v} className="version" data-version={v}>
            <div className="row">
              <strong>{t('flows.history.version', { version: v })}</strong>
              {v === published && <span className="pill pill-good">{t('flows.history.live')}</span>}
              <button type="button" className="secondary small" aria-expanded={open === v} onClick={() => setOpen(open === v ? undefined : v)}>{t('flows.history.compare', { version: v })}</button>
              {!readOnly && v !== published && <button type="button" className="small" disabled={busy} onClick={() => void rollback(v)}>{t('flows.history.rollback', { version: v })}</button>}
            </div>
            {open === v && (v === 1 ? <p className="muted">{t('flows.history.first')}</p> : docs[v] && docs[v - 1] ? <DiffView diff={diffFlows(docs[v - 1]!, docs[v]!)} /> : <p aria-busy="true">{t('app.loading')}</p>)}
          </li>
        ))}
      </ol>
    </section>
  );
}

function DiffView({ diff }: { diff: FlowDiff }) {
  const { t } = useI18n();
  if (isEmptyDiff(diff)) return <p className="muted">{t('flows.history.same')}</p>;
  const empty = t('flows.history.empty');
  const change = (c: FieldChange) => t('flows.history.change', { field: c.field, before: c.before ?? empty, after: c.after ?? empty });
  const section = (title: MessageKey, body: React.ReactNode, kind: string) => <div className={`diff-${kind}`}><h4>{t(title)}</h4>{body}</div>;
  return (
    <div className="diff">
      {diff.flow.length > 0 && section('flows.history.flow', <ul>{diff.flow.map((c) => <li key={c.field}>{change(c)}</li>)}</ul>, 'flow')}
      {diff.added.length > 0 && section('flows.history.added', <ul>{diff.added.map((id) => <li key={id}><code>{id}</code></li>)}</ul>, 'added')}
      {diff.removed.length > 0 && section('flows.history.removed', <ul>{diff.removed.map((id) => <li key={id}><code>{id}</code></li>)}</ul>, 'removed')}
      {diff.changed.length > 0 && section('flows.history.changed', (
        <ul>
          {diff.changed.map((n) => (
            <li key={n.id}>
              <code>{n.id}</code> ({kindName(t, n.kind)})
              <ul>{n.fields.map((c) => <li key={c.field}>{change(c)}</li>)}</ul>
            </li>
          ))}
        </ul>
      ), 'changed')}
    </div>
  );
}
