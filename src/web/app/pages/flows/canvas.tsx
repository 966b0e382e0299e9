// The flow as a graph (React Flow): one box per node with its kind, id, label and the validator's
// problems; one edge per connection, labelled by key, branch or field; drag from a node's bottom
// handle to another node to connect. A simulated call's path is lit up, step numbers on the nodes.
// Positions: the document's layout (where the author dragged a node) or the automatic layered one.
import '@xyflow/react/dist/style.css';
import { applyNodeChanges, Background, Controls, Handle, MarkerType, Position, ReactFlow, useReactFlow, type Edge, type Node, type NodeChange, type NodeProps } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { useI18n, type Translate } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/en.ts';
import { layeredLayout } from './layout.ts';
import { slotsOf, type FlowDoc, type FlowNode, type Slot } from './node-kinds.ts';
import { kindName } from './palette.tsx';
import type { Problem } from './problems.ts';

interface NodeData extends Record<string, unknown> {
  nodeId: string; kind: string; kindText: string; label?: string; isStart: boolean; startText: string;
  errors: string[]; warnings: string[]; errorText: string; warningText: string;
  steps: number[]; stepText: string; slots: { id: string; text: string }[];
}
type FlowNodeType = Node<NodeData, 'flow'>;

const slotText = (t: Translate, slot: Slot) => ('digit' in slot.label ? slot.label.digit : 'branch' in slot.label ? t('flows.canvas.branch', { n: slot.label.branch }) : t(`flows.field.${slot.label.field}` as MessageKey));

function FlowNodeView({ data, selected }: NodeProps<FlowNodeType>) {
  const state = data.errors.length ? 'has-errors' : data.warnings.length ? 'has-warnings' : 'is-ok';
  return (
    <div className={`flow-node kind-${data.kind} ${state} ${data.steps.length ? 'on-path' : ''} ${selected ? 'is-selected' : ''}`} data-node={data.nodeId} data-on-path={data.steps.length ? 'true' : 'false'}>
      <Handle type="target" position={Position.Top} />
      <div className="flow-node-head">
        <span className="flow-node-kind">{data.kindText}</span>
        {data.isStart && <span className="flow-node-start">{data.startText}</span>}
        {data.steps.length > 0 && <span className="flow-node-step">{data.stepText}</span>}
      </div>
      <div className="flow-node-id">{data.nodeId}</div>
      {data.label && <div className="flow-node-label">{data.label}</div>}
      {data.errors.length > 0 && (
        <div className="flow-node-problems" role="group" aria-label={data.errorText}>
          <span className="badge-error">{data.errorText}</span>
          <ul>{data.errors.slice(0, 3).map((m, i) => <li key={i}>{m}</li>)}</ul>
        </div>
      )}
      {data.errors.length === 0 && data.warnings.length > 0 && <div className="flow-node-problems"><span className="badge-warn" title={data.warnings.join('\n')}>{data.warningText}</span></div>}
      {data.slots.length > 0 && (
        <div className="flow-node-slots">
          {data.slots.map((s) => (
            <div key={s.id} className="flow-node-slot">
              <span>{s.text}</span>
              <Handle type="source" position={Position.Bottom} id={s.id} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

const nodeTypes = { flow: FlowNodeView };

function problemText(p: Problem) {
  const field = p.path.slice(2).join('.');
  return field ? `${field}: ${p.message}` : p.message;
}

/** Fits the view when the graph changes (nodes come or go, connections change), so no node is
 * off-screen; moving a node by hand does not refit (the author may be zoomed in on it). */
function FitOnChange({ layout }: { layout: string }) {
  const { fitView, getViewport, setViewport, getNodes, getNodesBounds } = useReactFlow();
  useEffect(() => {
    const timer = setTimeout(() => void (async () => {
      // Big flows stay readable (at least half size), shown from the top where the call starts;
      // the author pans to the rest.
      await fitView({ padding: 0.15, maxZoom: 1, minZoom: 0.5 });
      const view = getViewport();
      if (view.zoom <= 0.501) await setViewport({ x: view.x, y: 20 - getNodesBounds(getNodes()).y * view.zoom, zoom: view.zoom });
    })(), 60);
    return () => clearTimeout(timer);
  }, [layout, fitView, getViewport, setViewport, getNodes, getNodesBounds]);
  return null;
}

export function FlowCanvas({ doc, problems, selected, onSelect, path, readOnly, onConnect, onMoved }: {
  doc: FlowDoc; problems: Record<string, Problem[]>; selected?: string; onSelect: (id: string) => void; path: string[]; readOnly: boolean;
  onConnect: (from: string, slot: string, to: string) => void; onMoved: (id: string, position: { x: number; y: number }) => void;
}) {
  const { t } = useI18n();
  const [nodes, setNodes] = useState<FlowNodeType[]>([]);

  useEffect(() => {
    const auto = layeredLayout(doc.nodes, doc.start);
    setNodes((previous) => {
      const before = new Map(previous.map((n) => [n.id, n]));
      return Object.entries(doc.nodes).map(([id, node]): FlowNodeType => {
        const old = before.get(id);
        const mine = problems[id] ?? [];
        const errors = mine.filter((p) => p.severity === 'error').map(problemText);
        const warnings = mine.filter((p) => p.severity === 'warning').map(problemText);
        const steps = path.flatMap((p, i) => (p === id ? [i + 1] : []));
        const slots = slotsOf(node as FlowNode).map((s) => ({ id: s.id, text: slotText(t, s) }));
        if (node.kind === 'menu' && !readOnly) slots.push({ id: 'options.+', text: t('flows.canvas.newOption') });
        return {
          ...old,
          id, type: 'flow',
          position: doc.layout?.nodes[id] ?? auto[id] ?? { x: 0, y: 0 },
          selected: id === selected,
          data: {
            nodeId: id, kind: node.kind, kindText: kindName(t, node.kind), label: typeof node.label === 'string' ? node.label : undefined,
            isStart: id === doc.start, startText: t('flows.canvas.start'), errors, warnings,
            errorText: t('flows.canvas.errors', { count: errors.length }), warningText: t('flows.canvas.warnings', { count: warnings.length }),
            steps, stepText: t('flows.canvas.step', { steps: steps.join(', ') }), slots,
          },
        };
      });
    });
  }, [doc, problems, path, selected, t, readOnly]);

  const edges = useMemo(() => {
    const lit = new Set(path.slice(1).map((to, i) => `${path[i]}>${to}`));
    return Object.entries(doc.nodes).flatMap(([from, node]) => slotsOf(node as FlowNode)
      .filter((s) => s.target && doc.nodes[s.target])
      .map((s): Edge => {
        const on = lit.has(`${from}>${s.target}`);
        return {
          id: `${from}:${s.id}`, source: from, sourceHandle: s.id, target: s.target!, label: slotText(t, s),
          className: on ? 'on-path' : undefined, animated: on, markerEnd: { type: MarkerType.ArrowClosed },
          ...(on ? { style: { strokeWidth: 3 } } : {}),
        };
      }));
  }, [doc, path, t]);

  const graphShape = useMemo(() => `${doc.start}|${Object.entries(doc.nodes).map(([id, n]) => `${id}>${slotsOf(n as FlowNode).map((x) => x.target ?? '').join(',')}`).join(' ')}`, [doc.nodes, doc.start]);

  const onNodesChange = (changes: NodeChange<FlowNodeType>[]) => {
    for (const c of changes) {
      if (c.type === 'select' && c.selected) onSelect(c.id);
      // A drag that ended (or a move by arrow keys): the place goes into the document's layout.
      if (c.type === 'position' && !c.dragging && c.position && !readOnly) onMoved(c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) });
    }
    setNodes((ns) => applyNodeChanges(changes, ns));
  };

  const aria = useMemo(() => ({
    'node.a11yDescription.default': t('flows.aria.node'),
    'node.a11yDescription.keyboardDisabled': t('flows.aria.node'),
    'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) => t('flows.aria.moved', { direction, x, y }),
    'edge.a11yDescription.default': t('flows.aria.edge'),
    'controls.ariaLabel': t('flows.aria.controls'),
    'controls.zoomIn.ariaLabel': t('flows.aria.zoomIn'),
    'controls.zoomOut.ariaLabel': t('flows.aria.zoomOut'),
    'controls.fitView.ariaLabel': t('flows.aria.fitView'),
    'controls.interactive.ariaLabel': t('flows.aria.interactive'),
    'minimap.ariaLabel': t('flows.aria.minimap'),
    'handle.ariaLabel': t('flows.aria.handle'),
  }), [t]);

  return (
    <section className="card canvas" aria-label={t('flows.canvas.label')}>
      <ReactFlow<FlowNodeType, Edge> nodes={nodes} edges={edges} nodeTypes={nodeTypes} onNodesChange={onNodesChange}
        onConnect={(c) => { if (!readOnly && c.source && c.target && c.sourceHandle) onConnect(c.source, c.sourceHandle, c.target); }}
        nodesConnectable={!readOnly} deleteKeyCode={null} minZoom={0.25} maxZoom={1.5} fitView fitViewOptions={{ padding: 0.15, maxZoom: 1, minZoom: 0.5 }}
        ariaLabelConfig={aria}>
        <Background gap={20} />
        <Controls showInteractive={false} />
        <FitOnChange layout={graphShape} />
      </ReactFlow>
    </section>
  );
}
