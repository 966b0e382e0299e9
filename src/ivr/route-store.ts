// Number routes (dialed number → flow) as one edited document with a revision, in the store's
// `flows` section under `routes`. Two writers: admins through the API (revision checked, stale →
// FLOW_CONFLICT), and the site file a technician provisions. The site file seeds the table and
// wins whenever its routes change (the box was re-provisioned on purpose); while it stays the same,
// admins' edits stand across restarts. New calls read `current()` (in memory, no IO per call).
import { createHash } from 'node:crypto';
import type { Section, Store } from '../store/store.ts';
import { FlowError } from './flow-store.ts';
import { resolveRoute, validateRoutes, type Route } from './routes.ts';

export interface RouteTable {
  routes: Route[];
  revision: number;
  updatedAt: number;
  updatedBy: string;
  /** sha256 of the site file's routes last applied. */
  siteSeed: string;
}

export const SITE_FILE_ACTOR = 'system:site-file';

const seedOf = (routes: readonly Route[]) => createHash('sha256').update(JSON.stringify(routes)).digest('hex');

export class RouteStore {
  private readonly section: Section;
  private table: RouteTable | undefined;

  constructor(store: Store, private readonly now: () => number) {
    this.section = store.section('flows');
  }

  /**
   * Loads the table; seeds it from the site file's routes when there is none or they changed.
   * Answers the table replaced by the site file (for the audit log), if it was.
   */
  async load(siteRoutes: Route[]): Promise<{ replaced?: RouteTable; table: RouteTable }> {
    const stored = await this.section.get<RouteTable>('routes');
    const seed = seedOf(siteRoutes);
    if (stored && stored.siteSeed === seed) {
      this.table = stored;
      return { table: stored };
    }
    const table: RouteTable = { routes: siteRoutes, revision: (stored?.revision ?? 0) + 1, updatedAt: this.now(), updatedBy: SITE_FILE_ACTOR, siteSeed: seed };
    await this.section.batch([{ type: 'put', key: 'routes', value: table }]);
    this.table = table;
    return { table, ...(stored && { replaced: stored }) };
  }

  current(): RouteTable {
    if (!this.table) throw new Error('RouteStore.load() first');
    return this.table;
  }

  /** The flow a call to `dialed` at `at` runs, or undefined (the greeting). */
  resolve(dialed: string, at: number): string | undefined {
    return resolveRoute(this.current().routes, dialed, at);
  }

  /** Replaces the routes when `revision` is the current one; bad routes → FLOW_INVALID with every problem. */
  async save(raw: unknown, revision: number, by: string): Promise<RouteTable> {
    const { routes, problems } = validateRoutes(raw);
    if (!routes) throw new FlowError('FLOW_INVALID', 'the number routes have problems', problems);
    const current = this.current();
    if (revision !== current.revision) throw new FlowError('FLOW_CONFLICT', `the routes are at revision ${current.revision}, not ${revision}: reload and edit again`);
    const next: RouteTable = { ...current, routes, revision: current.revision + 1, updatedAt: this.now(), updatedBy: by };
    // Taken before the write, so a second save on the same revision meanwhile is a conflict.
    this.table = next;
    try {
      await this.section.batch([{ type: 'put', key: 'routes', value: next }]);
    } catch (error) {
      if (this.table === next) this.table = current;
      throw error;
    }
    return next;
  }
}
