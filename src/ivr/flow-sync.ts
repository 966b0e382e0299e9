// Publishes flow files from a folder (site provisioning, the demo): a file whose document differs
// from the current draft is saved and published as a new version; unchanged files are left alone,
// so restarts do not pile up versions.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { FlowError, type FlowStore } from './flow-store.ts';
import { readFlowFile } from './flow-files.ts';
import { pathText } from './flow-types.ts';
import { validateFlow, type ValidationOptions } from './validator.ts';

export interface SyncReport {
  published: { flowId: string; version: number }[];
  unchanged: string[];
  rejected: { file: string; problems: string[] }[];
}

export async function syncFlowsFromDir(dir: string, flows: FlowStore, options: ValidationOptions = {}): Promise<SyncReport> {
  const report: SyncReport = { published: [], unchanged: [], rejected: [] };
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json')).sort();
  const docs: { file: string; raw: unknown; id: string }[] = [];
  for (const file of files) {
    try {
      const raw = await readFlowFile(join(dir, file));
      const id = (raw as { id?: unknown })?.id;
      if (typeof id !== 'string') throw new Error(`${file}: no id`);
      docs.push({ file, raw, id });
    } catch (error) {
      report.rejected.push({ file, problems: [(error as Error).message] });
    }
  }
  const ids = new Set(docs.map((d) => d.id));
  // Sub-flows may refer to each other: every flow of the folder counts as present.
  const hasFlow = (id: string) => ids.has(id) || flows.current(id) !== undefined;
  for (const { file, raw, id } of docs) {
    const checked = validateFlow(raw, { ...options, hasFlow });
    if (!checked.flow) {
      report.rejected.push({ file, problems: checked.errors.map((p) => `${pathText(p.path)}: ${p.message}`) });
      continue;
    }
    const draft = await flows.draft(id);
    if (draft && isDeepStrictEqual(draft.doc, raw) && flows.current(id) !== undefined) {
      report.unchanged.push(id);
      continue;
    }
    try {
      const revision = await flows.saveDraft(id, raw, draft?.revision ?? 0, 'provisioning');
      report.published.push({ flowId: id, version: await flows.publish(id, revision, 'provisioning', { ...options, hasFlow }) });
    } catch (error) {
      const problems = error instanceof FlowError ? error.problems.map((p) => `${pathText(p.path)}: ${p.message}`) : [];
      report.rejected.push({ file, problems: [(error as Error).message, ...problems] });
    }
  }
  return report;
}
