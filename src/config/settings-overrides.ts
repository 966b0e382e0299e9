// Settings admins and technicians change through the API, layered over the site file and kept in
// the store's `system` section as { values, revision, updatedAt, updatedBy, siteSeed }. Only the
// settings below may be changed this way: where Asterisk is, ports, paths and the store stay the
// site file's (provisioning, not a live edit). The site file wins when it changes (the box was
// re-provisioned on purpose): its changed settings drop the overrides. Some settings apply at
// once; the others at the next start — every answer says which.
import { createHash } from 'node:crypto';
import type { Section, Store } from '../store/store.ts';
import { configSchema, type DesklineConfig } from './schema.ts';

/** Setting → when a change takes effect. */
export const EDITABLE_SETTINGS = {
  'site.name': 'now',
  'site.timezone': 'restart',
  'site.locale': 'restart',
  'calls.greetingPrompt': 'now',
  'calls.idleTimeoutSeconds': 'now',
  'calls.maxCallSeconds': 'now',
  'speech.transcribe': 'restart',
  'acd.serviceLevelSeconds': 'restart',
  'acd.repeatCallerWindowHours': 'restart',
  'acd.callbackCallerId': 'restart',
  'recordings.retentionDays': 'restart',
  'knowledge.assistDebounceMs': 'restart',
  'knowledge.escalationPhrases': 'restart',
  'knowledge.agentPhrases': 'restart',
  'log.level': 'now',
} as const;
export type EditableSetting = keyof typeof EDITABLE_SETTINGS;

export interface StoredOverrides {
  values: Partial<Record<EditableSetting, unknown>>;
  revision: number;
  updatedAt: number;
  updatedBy: string;
  /** sha256 of the site file's values of the editable settings when the overrides were kept. */
  siteSeed: string;
}

export interface SettingsIssue {
  path: (string | number)[];
  message: string;
}

export class SettingsError extends Error {
  constructor(readonly code: 'SETTINGS_INVALID' | 'SETTINGS_CONFLICT', message: string, readonly issues: SettingsIssue[] = []) {
    super(message);
  }
}

export interface SettingsChange {
  config: DesklineConfig;
  stored: StoredOverrides;
  /** Settings whose effective value changed, split by when they take effect. */
  now: EditableSetting[];
  restart: EditableSetting[];
}

const isEditable = (key: string): key is EditableSetting => Object.hasOwn(EDITABLE_SETTINGS, key);
const KEY = 'settings-overrides';

function read(config: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), config);
}

function withValue(config: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  if (!rest.length) return { ...config, [head!]: value };
  return { ...config, [head!]: withValue((config[head!] as Record<string, unknown>) ?? {}, rest.join('.'), value) };
}

const seedOf = (site: DesklineConfig) => createHash('sha256').update(JSON.stringify(Object.keys(EDITABLE_SETTINGS).map((k) => read(site, k) ?? null))).digest('hex');

export class SettingsOverrides {
  private readonly section: Section;
  private site!: DesklineConfig;
  private stored!: StoredOverrides;
  private effective!: DesklineConfig;

  constructor(store: Store, private readonly now: () => number) {
    this.section = store.section('system');
  }

  /**
   * The site file's settings with the kept overrides applied. The overrides are dropped when the
   * site file's editable settings changed, or when they no longer validate (after an upgrade).
   */
  async load(site: DesklineConfig): Promise<{ config: DesklineConfig; dropped?: StoredOverrides }> {
    this.site = site;
    const seed = seedOf(site);
    const kept = await this.section.get<StoredOverrides>(KEY);
    if (kept && kept.siteSeed === seed) {
      try {
        this.effective = this.merge(kept.values);
        this.stored = kept;
        return { config: this.effective };
      } catch {
        // Falls through: dropped, and said so.
      }
    }
    this.stored = { values: {}, revision: (kept?.revision ?? 0) + 1, updatedAt: this.now(), updatedBy: 'system:site-file', siteSeed: seed };
    await this.section.batch([{ type: 'put', key: KEY, value: this.stored }]);
    this.effective = site;
    return { config: site, ...(kept && Object.keys(kept.values).length ? { dropped: kept } : {}) };
  }

  current(): { config: DesklineConfig; stored: StoredOverrides } {
    return { config: this.effective, stored: this.stored };
  }

  /**
   * Changes settings: `changes` maps setting names to values, or null for "back to the site file".
   * Unknown or provisioning-only names and invalid values are refused with each one named.
   */
  async change(changes: Record<string, unknown>, revision: number, by: string): Promise<SettingsChange> {
    const issues: SettingsIssue[] = Object.keys(changes).filter((k) => !isEditable(k)).map((k) => ({ path: [k], message: `${k} cannot be changed here (editable: ${Object.keys(EDITABLE_SETTINGS).join(', ')}); other settings come from the site file` }));
    if (issues.length) throw new SettingsError('SETTINGS_INVALID', 'some settings cannot be changed through the API', issues);
    if (revision !== this.stored.revision) throw new SettingsError('SETTINGS_CONFLICT', `the settings are at revision ${this.stored.revision}, not ${revision}: reload and change again`);
    const values = { ...this.stored.values };
    for (const [key, value] of Object.entries(changes) as [EditableSetting, unknown][]) {
      if (value === null) delete values[key];
      else values[key] = value;
    }
    const config = this.merge(values);
    const changed = (Object.keys(EDITABLE_SETTINGS) as EditableSetting[]).filter((k) => JSON.stringify(read(config, k)) !== JSON.stringify(read(this.effective, k)));
    const stored: StoredOverrides = { ...this.stored, values, revision: this.stored.revision + 1, updatedAt: this.now(), updatedBy: by };
    await this.section.batch([{ type: 'put', key: KEY, value: stored }]);
    this.stored = stored;
    this.effective = config;
    return { config, stored, now: changed.filter((k) => EDITABLE_SETTINGS[k] === 'now'), restart: changed.filter((k) => EDITABLE_SETTINGS[k] === 'restart') };
  }

  /** The site file with `values` applied, validated as a whole; each bad value named by its setting. */
  private merge(values: StoredOverrides['values']): DesklineConfig {
    let raw = this.site as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) raw = withValue(raw, key, value);
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) {
      throw new SettingsError('SETTINGS_INVALID', 'bad setting values', parsed.error.issues.map((i) => ({ path: [(i.path as (string | number)[]).join('.')], message: i.message })));
    }
    return parsed.data;
  }
}
