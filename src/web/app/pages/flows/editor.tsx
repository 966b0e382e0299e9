// The flow editor: the draft in memory, checked by the server's validator as it changes (the
// same one the CLI runs), saved with its revision (a stale one is a 409 the page explains),
// published, tested and routed. Parts: palette and node list, canvas, property panel, test panel,
// numbers, version history.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Me } from '../../api.ts';
import { LOCALE_NAMES, LOCALES, useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { Link } from '../../router.tsx';
import { FlowCanvas } from './canvas.tsx';
import { flowApi, messageOf, type SimulationResult } from './flow-api.ts';
import { History } from './history.tsx';
import { NodeList, Palette } from './palette.tsx';
import { NumberRoutes } from './number-routes.tsx';
import { freeId, newNode, withoutTarget, type FlowDoc, type FlowNode } from './node-kinds.ts';
import { placeProblems, type Problem } from './problems.ts';
import { PropertyPanel } from './property-panel.tsx';
import { TestPanel } from './test-panel.tsx';

/** Kept as a message key, so the line follows a language switch. */
type Status = { tone: 'info' | 'good' | 'bad'; key: MessageKey; values?: Record<string, string | number>; conflict?: boolean };

export function FlowEditor({ id, me }: { id: string; me: Me }) {
  const { t } = useI18n();
  const client = flowApi;
  const canWrite = me.permissions.includes('flows.write');
  const [doc, setDoc] = useState<FlowDoc>();
  const [revision, setRevision] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [published, setPublished] = useState<number | null>(null);
  const [versions, setVersions] = useState(0);
  const [selected, setSelected] = useState<string>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<string>();
  const [simulation, setSimulation] = useState<SimulationResult>();
  const [otherFlows, setOtherFlows] = useState<string[]>([]);
  const [routesVersion, setRoutesVersion] = useState(0);
  const validation = useRef(0);

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const [view, list] = await Promise.all([client.get(id), client.list()]);
      const draft = view.draft?.doc ?? (view.publishedVersion ? await client.version(id, view.publishedVersion) : undefined);
      setDoc(draft ? { ...draft, nodes: draft.nodes ?? {} } : { id, name: id, languages: ['en'], defaultLanguage: 'en', start: '', nodes: {} });
      setRevision(view.draft?.revision ?? 0);
      setPublished(view.publishedVersion);
      setVersions(list.find((f) => f.id === id)?.versions ?? 0);
      setOtherFlows(list.map((f) => f.id).filter((f) => f !== id));
      setDirty(false);
    } catch (err) {
      setLoadError(messageOf(err));
    }
  }, [client, id]);
  useEffect(() => { void load(); }, [load]);

  // Every change is checked by the server's validator (debounced); late answers are dropped.
  const validate = useCallback(async (d: FlowDoc, announce: boolean) => {
    const mine = ++validation.current;
    try {
      const r = await client.validate(id, d);
      if (mine !== validation.current) return;
      setProblems([...r.errors, ...r.warnings]);
      if (announce) setStatus(r.ok ? { tone: 'good', key: 'flows.status.valid', values: { warnings: r.warnings.length } } : { tone: 'bad', key: 'flows.status.invalid', values: { errors: r.errors.length, warnings: r.warnings.length } });
    } catch (err) {
      if (announce) setStatus({ tone: 'bad', key: 'flows.status.failed', values: { message: messageOf(err) } });
    }
  }, [client, id, t]);
  useEffect(() => {
    if (!doc) return;
    const timer = setTimeout(() => void validate(doc, false), 300);
    return () => clearTimeout(timer);
  }, [doc, validate]);

  // Leaving the page (reload, close) with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const change = useCallback((fn: (d: FlowDoc) => FlowDoc) => {
    setDoc((d) => (d ? fn(d) : d));
    setDirty(true);
    setSimulation(undefined);
  }, []);

  const failed = (err: unknown): Status => (err instanceof ApiError && err.status === 409
    ? { tone: 'bad', key: 'flows.status.conflict', conflict: true }
    : { tone: 'bad', key: 'flows.status.failed', values: { message: messageOf(err) } });

  /** Saves when there are changes; answers the revision saved (or undefined when it failed). */
  const save = async (): Promise<number | undefined> => {
    if (!doc) return undefined;
    if (!dirty && revision > 0) return revision;
    setStatus({ tone: 'info', key: 'flows.status.saving' });
    try {
      const r = await client.save(id, doc, revision);
      setRevision(r.revision);
      setDirty(false);
      setProblems(r.problems);
      setStatus({ tone: 'good', key: 'flows.status.saved', values: { revision: r.revision } });
      return r.revision;
    } catch (err) {
      setStatus(failed(err));
      return undefined;
    }
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try { await action(); } finally { setBusy(false); }
  };

  const publish = () => run(async () => {
    const saved = await save();
    if (saved === undefined) return;
    try {
      const { version } = await client.publish(id, saved);
      setPublished(version);
      setVersions(version);
      setStatus({ tone: 'good', key: 'flows.status.published', values: { version } });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'FLOW_INVALID' && Array.isArray(err.details)) {
        setProblems(err.details as Problem[]);
        setStatus({ tone: 'bad', key: 'flows.status.publishInvalid', values: { errors: (err.details as Problem[]).filter((p) => p.severity === 'error').length } });
      } else setStatus(failed(err));
    }
  });

  const addNode = (kind: string) => {
    if (!doc) return;
    const nodeId = freeId(kind, doc.nodes);
    // The first node is where calls start, until the author picks another.
    change((d) => ({ ...d, start: d.start && d.nodes[d.start] ? d.start : nodeId, nodes: { ...d.nodes, [nodeId]: newNode(kind, d) } }));
    setSelected(nodeId);
  };
  const updateNode = (nodeId: string, node: FlowNode) => change((d) => ({ ...d, nodes: { ...d.nodes, [nodeId]: node } }));
  const deleteNode = (nodeId: string) => {
    change((d) => {
      const nodes = Object.fromEntries(Object.entries(d.nodes).filter(([k]) => k !== nodeId).map(([k, n]) => [k, withoutTarget(n, nodeId)]));
      return withLayout({ ...d, nodes, start: d.start === nodeId ? Object.keys(nodes)[0] ?? '' : d.start }, nodeId, undefined);
    });
    setSelected(undefined);
  };
  const renameNode = (from: string, to: string) => {
    change((d) => {
      const rename = (v: unknown): unknown => (v === from ? to : Array.isArray(v) ? v.map(rename) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'prompts' ? x : rename(x)])) : v);
      const nodes = Object.fromEntries(Object.entries(d.nodes).map(([k, n]) => [k === from ? to : k, rename(n) as FlowNode]));
      const place = d.layout?.nodes[from];
      return withLayout(withLayout({ ...d, nodes, start: d.start === from ? to : d.start }, from, undefined), to, place);
    });
    setSelected(to);
  };

  if (loadError) return <main id="main" className="page"><p className="form-error" role="alert">{t('flows.editor.loadFailed', { message: loadError })}</p><p><Link to="/flows">{t('flows.back')}</Link></p></main>;
  if (!doc) return <main id="main" className="page"><p aria-busy="true">{t('app.loading')}</p></main>;

  const placed = placeProblems(problems);
  const node = selected ? doc.nodes[selected] : undefined;
  const pathSteps = simulation?.path ?? [];

  return (
    <main id="main" className="page flow-editor">
      <p className="crumbs"><Link to="/flows">{t('flows.back')}</Link></p>
      <div className="page-head">
        <h1>{t('flows.editor.title', { name: doc.name || id })} <small className="flow-id">{id}</small></h1>
        <div className="flow-state">
          <span className="pill">{t('flows.state.revision', { revision })}</span>
          <span className={`pill ${dirty ? 'pill-warn' : ''}`}>{dirty ? t('flows.state.unsaved') : t('flows.state.saved')}</span>
          <span className={`pill ${published ? 'pill-good' : ''}`} data-live-version={published ?? ''}>{published ? t('flows.state.live', { version: published }) : t('flows.state.notLive')}</span>
        </div>
      </div>
      {!canWrite && <p className="muted">{t('flows.editor.readOnly')}</p>}
      <div className="toolbar" role="toolbar" aria-label={t('flows.title')}>
        {canWrite && <button type="button" onClick={() => void run(async () => { await save(); })} disabled={busy}>{t('flows.action.save')}</button>}
        <button type="button" className="secondary" onClick={() => void validate(doc, true)} disabled={busy}>{t('flows.action.validate')}</button>
        {canWrite && <button type="button" onClick={() => void publish()} disabled={busy}>{t('flows.action.publish')}</button>}
        {canWrite && doc.layout && <button type="button" className="secondary" onClick={() => change(({ layout: _dropped, ...d }) => d)}>{t('flows.action.arrange')}</button>}
      </div>
      <div className={`status-line tone-text-${status?.tone ?? 'info'}`} role="status" aria-live="polite">
        {status && t(status.key, status.values)}
        {status?.conflict && <> <button type="button" className="secondary" onClick={() => { setStatus(undefined); void load(); }}>{t('flows.action.reload')}</button></>}
      </div>

      <FlowSettings doc={doc} change={change} problems={placed.flow} disabled={!canWrite} />

      <div className="editor-grid">
        <div className="editor-side">
          {canWrite && <Palette onAdd={addNode} />}
          <NodeList doc={doc} problems={placed.byNode} selected={selected} onSelect={setSelected} />
        </div>
        <FlowCanvas doc={doc} problems={placed.byNode} selected={selected} onSelect={setSelected} path={pathSteps} readOnly={!canWrite}
          onConnect={(from, slotPath, to) => { const n = doc.nodes[from]; if (n) updateNode(from, setSlot(n, slotPath, to)); }}
          onMoved={(nodeId, place) => { if (!samePlace(doc.layout?.nodes[nodeId], place)) change((d) => withLayout(d, nodeId, place)); }} />
        <PropertyPanel key={selected} nodeId={selected} node={node} doc={doc} problems={placed} readOnly={!canWrite} client={client} otherFlows={otherFlows} me={me}
          onChange={(n) => selected && updateNode(selected, n)} onDelete={() => selected && deleteNode(selected)} onRename={renameNode}
          onMakeStart={() => selected && change((d) => ({ ...d, start: selected }))} />
      </div>

      <div className="editor-lower">
        <TestPanel flowId={id} client={client} result={simulation} onResult={setSimulation} beforeRun={canWrite ? save : async () => revision} routesVersion={routesVersion} />
        <NumberRoutes flowId={id} client={client} readOnly={!canWrite} onSaved={() => setRoutesVersion((v) => v + 1)} />
        <History flowId={id} client={client} published={published} versions={versions} draft={doc} readOnly={!canWrite}
          onRolledBack={(v) => { setPublished(v); setStatus({ tone: 'good', key: 'flows.status.rolledBack', values: { version: v } }); }} />
      </div>
    </main>
  );
}

const samePlace = (a: { x: number; y: number } | undefined, b: { x: number; y: number }) => a !== undefined && a.x === b.x && a.y === b.y;

/** The document with one node's place in the layout set (or removed); no layout left when empty. */
function withLayout(d: FlowDoc, nodeId: string, place: { x: number; y: number } | undefined): FlowDoc {
  const nodes = { ...d.layout?.nodes };
  if (place) nodes[nodeId] = place;
  else delete nodes[nodeId];
  const { layout: _old, ...rest } = d;
  return Object.keys(nodes).length ? { ...rest, layout: { nodes } } : rest;
}

/** Sets a slot (from a canvas drag): "next", "options.1", "options.+" (the next free key), "branches.0". */
function setSlot(node: FlowNode, slot: string, to: string): FlowNode {
  const [field, key] = slot.split('.');
  if (field === 'options') {
    const options = { ...(node.options as Record<string, string> | undefined) };
    const digit = key === '+' ? ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'].find((k) => !(k in options)) : key;
    if (digit) options[digit] = to;
    return { ...node, options };
  }
  if (field === 'branches') {
    const branches = [...((node.branches as { when: string; next: string }[] | undefined) ?? [])];
    const i = Number(key);
    branches[i] = { ...(branches[i] ?? { when: '' }), next: to };
    return { ...node, branches };
  }
  return { ...node, [field!]: to };
}

function FlowSettings({ doc, change, problems, disabled }: { doc: FlowDoc; change: (fn: (d: FlowDoc) => FlowDoc) => void; problems: Problem[]; disabled: boolean }) {
  const { t } = useI18n();
  const set = (patch: Partial<FlowDoc>) => change((d) => {
    const next = { ...d, ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
    return next;
  });
  return (
    <details className="card flow-settings" open={problems.length > 0 || undefined}>
      <summary><h2>{t('flows.settings.title')}</h2></summary>
      <fieldset disabled={disabled} className="form-grid">
        <label htmlFor="flow-name">{t('flows.settings.name')}</label>
        <input id="flow-name" value={doc.name} onChange={(e) => set({ name: e.target.value })} maxLength={200} />
        <label htmlFor="flow-start">{t('flows.settings.start')}</label>
        <select id="flow-start" value={doc.start} onChange={(e) => set({ start: e.target.value })}>
          <option value="">{t('flows.panel.none.option')}</option>
          {Object.keys(doc.nodes).map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
        <span id="flow-languages">{t('flows.settings.languages')}</span>
        <div role="group" aria-labelledby="flow-languages" className="checks">
          {LOCALES.map((l) => (
            <label key={l}><input type="checkbox" checked={doc.languages.includes(l)} onChange={(e) => set({ languages: e.target.checked ? [...doc.languages, l] : doc.languages.filter((x) => x !== l) })} /> {LOCALE_NAMES[l]}</label>
          ))}
        </div>
        <label htmlFor="flow-default-language">{t('flows.settings.defaultLanguage')}</label>
        <select id="flow-default-language" value={doc.defaultLanguage} onChange={(e) => set({ defaultLanguage: e.target.value })}>
          {LOCALES.map((l) => <option key={l} value={l}>{LOCALE_NAMES[l]}</option>)}
        </select>
        <label htmlFor="flow-transcription">{t('flows.settings.transcription')}</label>
        <select id="flow-transcription" value={doc.transcription ?? ''} onChange={(e) => set({ transcription: e.target.value || undefined })}>
          <option value="">{t('flows.settings.transcription.site')}</option>
          <option value="off">{t('flows.value.none')}</option>
          {(['caller', 'both'] as const).map((v) => <option key={v} value={v}>{t(`flows.value.transcription.${v}` as MessageKey)}</option>)}
        </select>
      </fieldset>
      {problems.length > 0 && (
        <div role="group" aria-label={t('flows.settings.problems')}>
          <ul className="problems">{problems.map((p, i) => <li key={i} className={`problem-${p.severity}`}><code>{p.path.join('.') || '—'}</code> {p.message}</li>)}</ul>
        </div>
      )}
    </details>
  );
}
