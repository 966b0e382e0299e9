// The validator's findings (POST /flows/{id}/validate: each with a JSON path into the document)
// sorted to where the editor shows them: on a node, on one of its fields, or on the flow itself.
export interface Problem { path: (string | number)[]; message: string; severity: 'error' | 'warning' }

export interface PlacedProblems {
  /** By node id: every problem of that node (field problems included). */
  byNode: Record<string, Problem[]>;
  /** By "nodeId/field": problems of one field of a node. */
  byField: Record<string, Problem[]>;
  /** Problems of the flow itself (name, start, languages…). */
  flow: Problem[];
}

export function placeProblems(problems: readonly Problem[]): PlacedProblems {
  const placed: PlacedProblems = { byNode: {}, byField: {}, flow: [] };
  for (const p of problems) {
    const [top, id, field] = p.path;
    if (top === 'nodes' && typeof id === 'string') {
      (placed.byNode[id] ??= []).push(p);
      if (field !== undefined) (placed.byField[`${id}/${field}`] ??= []).push(p);
    } else placed.flow.push(p);
  }
  return placed;
}

/** The path inside the node, for showing a problem next to its field: ['options', '1'] → "options.1". */
export const fieldPath = (p: Problem) => p.path.slice(2).join('.');
