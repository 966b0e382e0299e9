// Flow documents in the store's `flows` section, versioned:
//   draft!<flow>               { doc, revision, savedAt, savedBy }   (editable, may be invalid)
//   version!<flow>!<n:6>       { doc, version, publishedAt, publishedBy }  (immutable)
//   published!<flow>           { version, at, by }   (what new calls get; rollback moves it)
//   routes                     { revision, routes }  (dialed number → flow)
// Saving with a stale revision is refused (FlowConflict → HTTP 409). Publishing writes the
// version and moves the pointer in one batch, so a call sees either the old or the new flow.
import { prefixRange, type Section, type Store } from '../store/store.ts';
import type { FlowDocument, Problem } from './flow-types.ts';
import { validateFlow, type ValidationOptions } from './validator.ts';

export class FlowError extends Error {
  constructor(
    readonly code: 'FLOW_CONFLICT' | 'FLOW_NOT_FOUND' | 'FLOW_INVALID',
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

interface Draft {
  doc: unknown;
  revision: number;
  savedAt: number;
  savedBy: string;
}

interface Version {
  doc: FlowDocument;
  version: number;
  publishedAt: number;
  publishedBy: string;
}

export interface FlowSummary {
  id: string;
  draftRevision: number;
  publishedVersion: number | undefined;
  versions: number;
}

const pad = (n: number) => String(n).padStart(6, '0');

export class FlowStore {
  private readonly section: Section;
  /** Published versions are immutable: cached for the interpreter's synchronous lookups. */
  private readonly versions = new Map<string, FlowDocument>();
  private readonly published = new Map<string, number>();

  constructor(
    store: Store,
    private readonly now: () => number,
  ) {
    this.section = store.section('flows');
  }

  /** Loads every published version into memory (flows are small; calls may still run old ones). */
  async load(): Promise<void> {
    for await (const [key, value] of this.section.entries<Version>(prefixRange('version!'))) {
      const [, flowId] = key.split('!');
      this.versions.set(`${flowId}@${value.version}`, value.doc);
    }
    for await (const [key, value] of this.section.entries<{ version: number }>(prefixRange('published!'))) {
      this.published.set(key.slice('published!'.length), value.version);
    }
  }

  get(flowId: string, version: number): FlowDocument | undefined {
    return this.versions.get(`${flowId}@${version}`);
  }

  current(flowId: string): number | undefined {
    return this.published.get(flowId);
  }

  async draft(flowId: string): Promise<Draft | undefined> {
    return this.section.get<Draft>(`draft!${flowId}`);
  }

  /** Saves a draft; `expectedRevision` must be the revision the editor started from (0 for new). */
  async saveDraft(flowId: string, doc: unknown, expectedRevision: number, by: string): Promise<number> {
    const current = await this.draft(flowId);
    const revision = current?.revision ?? 0;
    if (revision !== expectedRevision) {
      throw new FlowError('FLOW_CONFLICT', `flow ${flowId} is at revision ${revision}, not ${expectedRevision}: someone else saved it; reload and reapply your change`);
    }
    await this.section.batch([{ type: 'put', key: `draft!${flowId}`, value: { doc, revision: revision + 1, savedAt: this.now(), savedBy: by } satisfies Draft }]);
    return revision + 1;
  }

  /** Validates the draft at `expectedRevision` and publishes it as the next version. */
  async publish(flowId: string, expectedRevision: number, by: string, options: ValidationOptions = {}): Promise<number> {
    const draft = await this.draft(flowId);
    if (!draft) throw new FlowError('FLOW_NOT_FOUND', `no draft of flow ${flowId}`);
    if (draft.revision !== expectedRevision) throw new FlowError('FLOW_CONFLICT', `flow ${flowId} is at revision ${draft.revision}, not ${expectedRevision}`);
    const checked = validateFlow(draft.doc, { hasFlow: (id) => id === flowId || this.published.has(id), ...options });
    if (!checked.flow) throw new FlowError('FLOW_INVALID', `flow ${flowId} has ${checked.errors.length} error(s)`, checked.errors);
    if (checked.flow.id !== flowId) throw new FlowError('FLOW_INVALID', `the document's id is ${checked.flow.id}, not ${flowId}`);
    const version = (await this.latestVersion(flowId)) + 1;
    const at = this.now();
    await this.section.batch([
      { type: 'put', key: `version!${flowId}!${pad(version)}`, value: { doc: checked.flow, version, publishedAt: at, publishedBy: by } satisfies Version },
      { type: 'put', key: `published!${flowId}`, value: { version, at, by } },
    ]);
    this.versions.set(`${flowId}@${version}`, checked.flow);
    this.published.set(flowId, version);
    return version;
  }

  /** New calls get `version` again; calls in progress keep theirs. */
  async rollback(flowId: string, version: number, by: string): Promise<void> {
    if (!this.versions.has(`${flowId}@${version}`)) throw new FlowError('FLOW_NOT_FOUND', `flow ${flowId} has no version ${version}`);
    await this.section.batch([{ type: 'put', key: `published!${flowId}`, value: { version, at: this.now(), by, rollback: true } }]);
    this.published.set(flowId, version);
  }

  async latestVersion(flowId: string): Promise<number> {
    for await (const [, value] of this.section.entries<Version>(prefixRange(`version!${flowId}!`, { reverse: true, limit: 1 }))) return value.version;
    return 0;
  }

  async list(): Promise<FlowSummary[]> {
    const summaries = new Map<string, FlowSummary>();
    const entry = (id: string) => summaries.get(id) ?? summaries.set(id, { id, draftRevision: 0, publishedVersion: this.published.get(id), versions: 0 }).get(id)!;
    for await (const [key, value] of this.section.entries<Draft>(prefixRange('draft!'))) entry(key.slice(6)).draftRevision = value.revision;
    for (const key of this.versions.keys()) entry(key.split('@')[0]!).versions++;
    return [...summaries.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
