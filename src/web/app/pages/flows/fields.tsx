// One field of a node in the property panel, by type: text, number, switch, choice, key, the
// node it goes to, prompts, menu keys, condition branches, name/value lists, lines, JSON. Every
// control has a label; the validator's messages for the field sit under it (aria-describedby).
import { useEffect, useState, type ReactNode } from 'react';
import type { Me } from '../../api.ts';
import { LOCALE_NAMES, isLocale, useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import type { FlowApi } from './flow-api.ts';
import { asArray, asRecord, setIn, type FieldSpec, type FlowDoc, type FlowNode } from './node-kinds.ts';
import { fieldPath, type Problem } from './problems.ts';
import { PromptListField } from './prompt-field.tsx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
const UNSET = '__unset';

export interface FieldProps {
  spec: FieldSpec; nodeId: string; node: FlowNode; doc: FlowDoc; problems: Problem[];
  onChange: (node: FlowNode) => void; client: FlowApi; otherFlows: string[]; me: Me;
}

function Messages({ id, problems }: { id: string; problems: Problem[] }) {
  if (!problems.length) return null;
  return (
    <ul id={id} className="field-error">
      {problems.map((p, i) => {
        const where = fieldPath(p).split('.').slice(1).join('.');
        return <li key={i} className={`problem-${p.severity}`}>{where ? `${where}: ` : ''}{p.message}</li>;
      })}
    </ul>
  );
}

function TargetSelect({ id, value, doc, onChange, label, ...aria }: { id: string; value: unknown; doc: FlowDoc; onChange: (v: string) => void; label?: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) {
  const { t } = useI18n();
  const current = typeof value === 'string' ? value : '';
  const ids = Object.keys(doc.nodes);
  return (
    <select id={id} value={current} onChange={(e) => onChange(e.target.value)} aria-label={label} {...aria}>
      <option value="">{t('flows.panel.none.option')}</option>
      {ids.map((n) => <option key={n} value={n}>{n}</option>)}
      {current && !ids.includes(current) && <option value={current}>{current}</option>}
    </select>
  );
}

export function FieldEditor(props: FieldProps) {
  const { spec, nodeId, node, problems } = props;
  const { t } = useI18n();
  const id = `f-${nodeId}-${spec.name}`;
  const errId = `${id}-problems`;
  const value = node[spec.name];
  const set = (v: unknown) => props.onChange(setIn(node, [spec.name], v));
  const invalid = problems.some((p) => p.severity === 'error') || undefined;
  const described = problems.length ? errId : undefined;
  const label = t(`flows.field.${spec.name}` as MessageKey);
  const required = spec.required ? <span className="required"> ({t('flows.panel.required')})</span> : null;
  const simple = (control: ReactNode, help?: string) => (
    <div className={`field field-${spec.type}`}>
      <label htmlFor={id}>{label}{required}</label>
      {control}
      {help && <p className="help">{help}</p>}
      <Messages id={errId} problems={problems} />
    </div>
  );
  const group = (content: ReactNode) => (
    <fieldset className={`field field-${spec.type}`} aria-describedby={described} aria-invalid={invalid}>
      <legend>{label}{required}</legend>
      {content}
      <Messages id={errId} problems={problems} />
    </fieldset>
  );
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': described };

  switch (spec.type) {
    case 'text':
      return simple(<input {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)} />);
    case 'queue':
      return simple(<QueueInput common={common} value={value} set={set} client={props.client} me={props.me} />);
    case 'textarea':
      return simple(<textarea {...common} rows={3} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)} />);
    case 'number': case 'int':
      return simple(<input {...common} type="number" inputMode={spec.type === 'int' ? 'numeric' : 'decimal'} step={spec.type === 'int' ? 1 : 'any'} min={spec.min} max={spec.max}
        value={typeof value === 'number' ? value : ''} onChange={(e) => set(e.target.value === '' ? undefined : Number(e.target.value))} />);
    case 'bool':
      return (
        <div className="field field-bool">
          <label><input {...common} type="checkbox" checked={typeof value === 'boolean' ? value : spec.name === 'beep'} onChange={(e) => set(e.target.checked)} /> {label}</label>
          <Messages id={errId} problems={problems} />
        </div>
      );
    case 'enum': {
      const text = (v: string) => (v === '' ? t('flows.value.none')
        : spec.name === 'transcription' ? t(`flows.value.transcription.${v}` as MessageKey)
        : spec.name === 'via' ? t(`flows.value.via.${v}` as MessageKey)
        : spec.name === 'language' && isLocale(v) ? LOCALE_NAMES[v] : v);
      const current = typeof value === 'string' ? value : UNSET;
      return simple(
        <select {...common} value={current} onChange={(e) => set(e.target.value === UNSET ? undefined : e.target.value)}>
          <option value={UNSET}>{spec.required ? t('flows.panel.none.option') : t('flows.panel.default.option')}</option>
          {spec.values!.map((v) => <option key={v} value={v}>{text(v)}</option>)}
        </select>,
      );
    }
    case 'key':
      return simple(
        <select {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value || undefined)}>
          <option value="">{t('flows.panel.none.option')}</option>
          {KEYS.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>,
      );
    case 'target':
      return simple(<TargetSelect {...common} value={value} doc={props.doc} onChange={(v) => set(v || undefined)} />);
    case 'flow':
      return simple(
        <select {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value || undefined)}>
          <option value="">{t('flows.panel.none.option')}</option>
          {props.otherFlows.map((f) => <option key={f} value={f}>{f}</option>)}
        </select>,
      );
    case 'lines':
      return simple(<LinesInput common={common} value={value} set={set} />, t('flows.panel.lines'));
    case 'json':
      return simple(<JsonInput common={common} value={value} set={set} />);
    case 'options':
      return group(<OptionsEditor node={node} doc={props.doc} set={set} />);
    case 'branches':
      return group(<BranchesEditor node={node} doc={props.doc} set={set} />);
    case 'map':
      return group(<MapEditor field={label} value={value} set={set} required={!!spec.required} />);
    case 'prompts':
      return group(<PromptListField field={label} value={value} set={set} doc={props.doc} client={props.client} required={!!spec.required} />);
  }
}

type Common = { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string };

function QueueInput({ common, value, set, client, me }: { common: Common; value: unknown; set: (v: unknown) => void; client: FlowApi; me: Me }) {
  const [queues, setQueues] = useState<string[]>([]);
  useEffect(() => { if (me.permissions.includes('queues.read')) void client.queues().then(setQueues); }, [client, me]);
  return (
    <>
      <input {...common} list={`${common.id}-list`} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value.trim())} autoComplete="off" />
      <datalist id={`${common.id}-list`}>{queues.map((q) => <option key={q} value={q} />)}</datalist>
    </>
  );
}

function LinesInput({ common, value, set }: { common: Common; value: unknown; set: (v: unknown) => void }) {
  const [text, setText] = useState(asArray(value).map(String).join('\n'));
  return <textarea {...common} rows={3} value={text} onChange={(e) => {
    setText(e.target.value);
    const lines = e.target.value.split('\n').map((l) => l.trim()).filter(Boolean);
    set(lines.length ? lines : undefined);
  }} />;
}

function JsonInput({ common, value, set }: { common: Common; value: unknown; set: (v: unknown) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [error, setError] = useState<string>();
  return (
    <>
      <textarea {...common} rows={6} className="mono" value={text} aria-invalid={error ? true : common['aria-invalid']} onChange={(e) => {
        setText(e.target.value);
        if (e.target.value.trim() === '') { setError(undefined); return set(undefined); }
        try {
          set(JSON.parse(e.target.value));
          setError(undefined);
        } catch (err) {
          setError((err as Error).message);
        }
      }} />
      {error && <p className="field-error" role="alert">{t('flows.panel.badJson', { message: error })}</p>}
    </>
  );
}

function OptionsEditor({ node, doc, set }: { node: FlowNode; doc: FlowDoc; set: (v: unknown) => void }) {
  const { t } = useI18n();
  const options = Object.entries(asRecord(node.options)).map(([k, v]) => [k, typeof v === 'string' ? v : ''] as const);
  const write = (rows: (readonly [string, string])[]) => set(Object.fromEntries(rows));
  const free = KEYS.find((k) => !options.some(([key]) => key === k));
  return (
    <>
      <ul className="rows">
        {options.map(([key, target], i) => (
          <li key={key} className="row">
            <select aria-label={t('flows.options.key', { n: i + 1 })} value={key} onChange={(e) => write(options.map((o, j) => (j === i ? [e.target.value, o[1]] as const : o)))}>
              {KEYS.filter((k) => k === key || !options.some(([o]) => o === k)).map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
            <TargetSelect id={`opt-${key}`} label={t('flows.options.target', { key })} value={target} doc={doc} onChange={(v) => write(options.map((o, j) => (j === i ? [o[0], v] as const : o)))} />
            <button type="button" className="secondary small" onClick={() => write(options.filter((_, j) => j !== i))}>{t('flows.options.remove', { key })}</button>
          </li>
        ))}
      </ul>
      {free && <button type="button" className="secondary small" onClick={() => write([...options, [free, '']])}>{t('flows.options.add')}</button>}
    </>
  );
}

function BranchesEditor({ node, doc, set }: { node: FlowNode; doc: FlowDoc; set: (v: unknown) => void }) {
  const { t } = useI18n();
  const branches = asArray(node.branches).map((b) => ({ when: String(asRecord(b).when ?? ''), next: String(asRecord(b).next ?? '') }));
  const write = (rows: { when: string; next: string }[]) => set(rows);
  return (
    <>
      <ol className="rows">
        {branches.map((b, i) => (
          <li key={i} className="row">
            <input aria-label={t('flows.branches.when', { n: i + 1 })} value={b.when} className="mono" onChange={(e) => write(branches.map((x, j) => (j === i ? { ...x, when: e.target.value } : x)))} />
            <TargetSelect id={`branch-${i}`} label={t('flows.branches.target', { n: i + 1 })} value={b.next} doc={doc} onChange={(v) => write(branches.map((x, j) => (j === i ? { ...x, next: v } : x)))} />
            <button type="button" className="secondary small" onClick={() => write(branches.filter((_, j) => j !== i))}>{t('flows.branches.remove', { n: i + 1 })}</button>
          </li>
        ))}
      </ol>
      <button type="button" className="secondary small" onClick={() => write([...branches, { when: '', next: '' }])}>{t('flows.branches.add')}</button>
    </>
  );
}

function MapEditor({ field, value, set, required }: { field: string; value: unknown; set: (v: unknown) => void; required: boolean }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<[string, string][]>(() => Object.entries(asRecord(value)).map(([k, v]) => [k, String(v)]));
  const write = (next: [string, string][]) => {
    setRows(next);
    const kept = next.filter(([k]) => k.trim() !== '');
    set(kept.length || required ? Object.fromEntries(kept) : undefined);
  };
  return (
    <>
      <ul className="rows">
        {rows.map(([k, v], i) => (
          <li key={i} className="row">
            <input aria-label={t('flows.map.key', { field, n: i + 1 })} value={k} onChange={(e) => write(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
            <input aria-label={t('flows.map.value', { field, n: i + 1 })} value={v} className="mono" onChange={(e) => write(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
            <button type="button" className="secondary small" onClick={() => write(rows.filter((_, j) => j !== i))}>{t('flows.map.remove', { n: i + 1 })}</button>
          </li>
        ))}
      </ul>
      <button type="button" className="secondary small" onClick={() => write([...rows, ['', '']])}>{t('flows.map.add')}</button>
    </>
  );
}
