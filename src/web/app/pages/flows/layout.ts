// Where each node sits on the canvas: a layered tree from the start node (breadth first: a node's
// row is its distance from the start), nodes the start cannot reach in a last row. Flow documents
// hold no positions (the schema the CLI and site files share has no UI fields); a node dragged on
// the canvas keeps its place for the session.
import { slotsOf, type FlowNode } from './node-kinds.ts';

export const COLUMN = 250;
export const ROW = 170;

export function layeredLayout(nodes: Record<string, FlowNode>, start: string): Record<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const rows: string[][] = [];
  const place = (id: string, d: number) => {
    depth.set(id, d);
    (rows[d] ??= []).push(id);
  };
  const queue: string[] = [];
  if (nodes[start]) {
    place(start, 0);
    queue.push(start);
  }
  while (queue.length) {
    const id = queue.shift()!;
    for (const slot of slotsOf(nodes[id]!)) {
      const to = slot.target;
      if (to && nodes[to] && !depth.has(to)) {
        place(to, depth.get(id)! + 1);
        queue.push(to);
      }
    }
  }
  const rest = Object.keys(nodes).filter((id) => !depth.has(id));
  if (rest.length) rows.push(rest);
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const positions: Record<string, { x: number; y: number }> = {};
  rows.forEach((row, y) => {
    // Centre each row under the widest one, so a tree reads top-down.
    const offset = ((widest - row.length) * COLUMN) / 2;
    row.forEach((id, x) => { positions[id] = { x: offset + x * COLUMN, y: y * ROW }; });
  });
  return positions;
}
