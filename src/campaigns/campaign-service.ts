// Campaigns for admins: create and change them, load contacts (rows or CSV, each bad row named),
// start, pause, resume and stop them, read progress, export results, keep the do-not-call list.
// Every change is audited; the dialer does the calling.
import { randomBytes } from 'node:crypto';
import { parseCsv, writeCsv, CsvError } from '../knowledge/base/csv.ts';
import { PreviewRefused, type CampaignDialer } from './campaign-dialer.ts';
import { campaignInputSchema, contactInputSchema, type ContactInput } from './campaign-schemas.ts';
import { dncForm, type CampaignStore, type DncEntry } from './campaign-store.ts';
import type { Campaign, CampaignState, Contact } from './campaign-types.ts';

export type CampaignErrorCode = 'CAMPAIGN_NOT_FOUND' | 'CAMPAIGN_INVALID' | 'CAMPAIGN_CONFLICT' | 'CAMPAIGN_STATE' | 'CAMPAIGN_CONTACTS_INVALID' | 'PREVIEW_NOT_FOUND' | 'PREVIEW_STATE';
export const CAMPAIGN_ERROR_STATUS: Record<CampaignErrorCode, 400 | 404 | 409> = {
  CAMPAIGN_NOT_FOUND: 404, CAMPAIGN_INVALID: 400, CAMPAIGN_CONFLICT: 409, CAMPAIGN_STATE: 409, CAMPAIGN_CONTACTS_INVALID: 400, PREVIEW_NOT_FOUND: 404, PREVIEW_STATE: 409,
};

export class CampaignError extends Error {
  constructor(readonly code: CampaignErrorCode, message: string, readonly details?: unknown) {
    super(message);
  }
}

export interface RowProblem {
  /** 1-based row of the request's list, or the CSV file's line. */
  row: number;
  field: string;
  message: string;
}

export interface CampaignServiceDeps {
  store: CampaignStore;
  dialer: CampaignDialer;
  now: () => number;
  audit: (entry: { actor: string; action: string; target: string; detail?: Record<string, unknown> }) => Promise<unknown>;
  /** Checks a campaign can run: its flow published, its queue known. Returns the problem. */
  canRun: (campaign: Campaign) => string | undefined;
}

const MAX_CONTACTS = 100_000;

/** A campaign body, or CAMPAIGN_INVALID naming every bad field. */
function parseCampaign(input: unknown) {
  const parsed = campaignInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  throw new CampaignError('CAMPAIGN_INVALID', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
}

export class CampaignService {
  constructor(private readonly deps: CampaignServiceDeps) {}

  list(): Campaign[] {
    return this.deps.dialer.all();
  }

  get(id: string): Campaign {
    const campaign = this.deps.dialer.campaign(id);
    if (!campaign) throw new CampaignError('CAMPAIGN_NOT_FOUND', `no campaign ${id}`);
    return campaign;
  }

  async create(input: unknown, by: string): Promise<Campaign> {
    const parsed = parseCampaign(input);
    const now = this.deps.now();
    const campaign: Campaign = { ...parsed, id: `c${now.toString(36)}${randomBytes(3).toString('hex')}`, state: 'draft', revision: 1, createdAt: now, updatedAt: now };
    await this.deps.store.saveCampaign(campaign);
    await this.deps.dialer.put(campaign);
    await this.deps.audit({ actor: by, action: 'campaign.create', target: campaign.id, detail: { after: campaign } });
    return campaign;
  }

  async update(id: string, input: unknown, revision: number | undefined, by: string): Promise<Campaign> {
    const before = this.get(id);
    if (revision !== undefined && revision !== before.revision) throw new CampaignError('CAMPAIGN_CONFLICT', `campaign ${id} is at revision ${before.revision}, not ${revision}: reload it`);
    if (before.state === 'running') throw new CampaignError('CAMPAIGN_STATE', 'pause the campaign before changing it');
    const parsed = parseCampaign(input);
    const after: Campaign = { ...before, ...parsed, revision: before.revision + 1, updatedAt: this.deps.now() };
    await this.deps.store.saveCampaign(after);
    await this.deps.dialer.put(after);
    await this.deps.audit({ actor: by, action: 'campaign.update', target: id, detail: { before, after } });
    return after;
  }

  async remove(id: string, by: string): Promise<void> {
    const before = this.get(id);
    if (before.state === 'running') throw new CampaignError('CAMPAIGN_STATE', 'stop the campaign before deleting it');
    await this.deps.dialer.forget(id);
    await this.deps.store.deleteCampaign(id);
    await this.deps.audit({ actor: by, action: 'campaign.delete', target: id, detail: { before } });
  }

  /** Adds contacts; a bad row is named (row, field) and nothing of the request is added. */
  async addContacts(id: string, rows: unknown[], by: string, rowNumber: (index: number) => number = (i) => i + 1): Promise<{ added: number }> {
    const campaign = this.get(id);
    if (campaign.state === 'completed' || campaign.state === 'stopped') throw new CampaignError('CAMPAIGN_STATE', `campaign ${id} is ${campaign.state}: contacts cannot be added`);
    const existing = this.deps.dialer.contactsOf(id);
    if (existing.length + rows.length > MAX_CONTACTS) throw new CampaignError('CAMPAIGN_CONTACTS_INVALID', `a campaign holds at most ${MAX_CONTACTS} contacts`);
    const problems: RowProblem[] = [];
    const numbers = new Map(existing.map((c) => [dncForm(c.number), 0]));
    const ids = new Set(existing.map((c) => c.id));
    const contacts: Contact[] = [];
    rows.forEach((raw, index) => {
      const row = rowNumber(index);
      const parsed = contactInputSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push({ row, field: issue.path.join('.') || '(row)', message: issue.message });
        return;
      }
      const input: ContactInput = parsed.data;
      const key = dncForm(input.number);
      if (numbers.has(key)) return void problems.push({ row, field: 'number', message: `${input.number} is already in this campaign${numbers.get(key) ? ` (row ${numbers.get(key)})` : ''}` });
      numbers.set(key, row);
      const contactId = input.id ?? `k${existing.length + contacts.length + 1}`;
      if (ids.has(contactId)) return void problems.push({ row, field: 'id', message: `contact id ${contactId} is taken` });
      ids.add(contactId);
      contacts.push({ campaignId: id, id: contactId, number: input.number, ...(input.name ? { name: input.name } : {}), ...(input.timezone ? { timezone: input.timezone } : {}), fields: input.fields, state: 'pending', attempts: [] });
    });
    if (problems.length) throw new CampaignError('CAMPAIGN_CONTACTS_INVALID', `${problems.length} problem(s) in the contacts; nothing was added`, problems.slice(0, 500));
    await this.deps.store.saveContacts(contacts);
    await this.deps.dialer.put(campaign, contacts);
    await this.deps.audit({ actor: by, action: 'campaign.contacts.add', target: id, detail: { added: contacts.length } });
    return { added: contacts.length };
  }

  /** CSV with a header: number (required), id, name, timezone; every other column is a field. */
  async importCsv(id: string, text: string, by: string): Promise<{ added: number }> {
    let parsed;
    try {
      parsed = parseCsv(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      if (error instanceof CsvError) throw new CampaignError('CAMPAIGN_CONTACTS_INVALID', `the CSV is malformed: ${error.message}`, [{ row: error.line, field: '(file)', message: error.message }]);
      throw error;
    }
    const [header, ...body] = parsed;
    if (!header) throw new CampaignError('CAMPAIGN_CONTACTS_INVALID', 'the CSV is empty: it needs a header row with a "number" column');
    const columns = header.cells.map((c) => c.trim());
    if (!columns.includes('number')) throw new CampaignError('CAMPAIGN_CONTACTS_INVALID', 'the CSV header has no "number" column', [{ row: header.line, field: 'number', message: 'missing column' }]);
    const known = new Set(['id', 'number', 'name', 'timezone']);
    const rows = body.map((r) => {
      const row: Record<string, unknown> = { fields: {} };
      columns.forEach((column, i) => {
        const cell = (r.cells[i] ?? '').trim();
        if (cell === '') return;
        if (known.has(column)) row[column] = cell;
        else (row.fields as Record<string, string>)[column] = cell;
      });
      return row;
    });
    return this.addContacts(id, rows, by, (i) => body[i]!.line);
  }

  async setState(id: string, action: 'start' | 'pause' | 'resume' | 'stop', by: string): Promise<Campaign> {
    const before = this.get(id);
    const allowed: Record<typeof action, CampaignState[]> = { start: ['draft'], pause: ['running'], resume: ['paused'], stop: ['draft', 'running', 'paused'] };
    if (!allowed[action].includes(before.state)) throw new CampaignError('CAMPAIGN_STATE', `cannot ${action} a ${before.state} campaign`);
    if (action === 'start' || action === 'resume') {
      const problem = this.deps.canRun(before);
      if (problem) throw new CampaignError('CAMPAIGN_STATE', problem);
      if (this.deps.dialer.contactsOf(id).length === 0) throw new CampaignError('CAMPAIGN_STATE', 'the campaign has no contacts');
    }
    const state: CampaignState = action === 'pause' ? 'paused' : action === 'stop' ? 'stopped' : 'running';
    const after: Campaign = { ...before, state, revision: before.revision + 1, updatedAt: this.deps.now() };
    await this.deps.store.saveCampaign(after);
    await this.deps.dialer.put(after);
    await this.deps.audit({ actor: by, action: `campaign.${action}`, target: id, detail: { before: before.state, after: state } });
    return after;
  }

  progress(id: string) {
    this.get(id);
    return this.deps.dialer.progress(id)!;
  }

  contacts(id: string): Contact[] {
    this.get(id);
    return this.deps.dialer.contactsOf(id);
  }

  /** One row per contact: its state, attempts, last outcome and the answered call's result. */
  resultsCsv(id: string): string {
    const rows = [['contact', 'number', 'name', 'state', 'attempts', 'last_outcome', 'last_attempt_at', 'call_id', 'digits', 'agent', 'variables']];
    for (const c of this.contacts(id)) {
      const last = c.attempts.at(-1);
      rows.push([c.id, c.number, c.name ?? '', c.state, String(c.attempts.length), last?.outcome ?? '', last ? new Date(last.startedAt).toISOString() : '', c.result?.callId ?? '', c.result?.digits ?? '', c.result?.reachedAgent ?? '', c.result ? JSON.stringify(c.result.vars) : '']);
    }
    return writeCsv(rows);
  }

  dncList(): Promise<DncEntry[]> {
    return this.deps.store.dncList();
  }

  async addDnc(numbers: { number: string; reason?: string }[], by: string): Promise<{ added: number }> {
    const bad = numbers.map((n, i) => ({ i, n })).filter(({ n }) => !/^\+?[0-9]{2,20}$/.test(n.number ?? ''));
    if (bad.length) throw new CampaignError('CAMPAIGN_INVALID', `not a phone number: ${bad.slice(0, 5).map(({ i, n }) => `[${i}] ${JSON.stringify(n.number)}`).join(', ')}`, bad.map(({ i }) => ({ field: `numbers.${i}.number`, message: 'digits, optionally after a +' })));
    const at = this.deps.now();
    await this.deps.store.addDnc(numbers.map((n) => ({ number: n.number, addedAt: at, by, ...(n.reason ? { reason: n.reason } : {}) })));
    await this.deps.audit({ actor: by, action: 'dnc.add', target: 'do-not-call', detail: { numbers: numbers.map((n) => n.number) } });
    return { added: numbers.length };
  }

  async removeDnc(number: string, by: string): Promise<void> {
    await this.deps.store.removeDnc(number);
    await this.deps.audit({ actor: by, action: 'dnc.remove', target: 'do-not-call', detail: { number } });
  }

  /** The contact an agent is looking at in a preview campaign (what their console shows). */
  previewOf(agentId: string): { campaign: { id: string; name: string; autoDialSeconds: number }; contact: Contact; autoDialAt?: number } | undefined {
    const found = this.deps.dialer.previewOf(agentId);
    if (!found) return undefined;
    const { campaign, contact } = found;
    const seconds = campaign.preview.autoDialSeconds;
    return { campaign: { id: campaign.id, name: campaign.name, autoDialSeconds: seconds }, contact, ...(seconds > 0 ? { autoDialAt: contact.preview!.offeredAt + seconds * 1000 } : {}) };
  }

  /** The agent pressed Call (or Skip) on their preview contact. */
  async preview(agentId: string, action: 'call' | 'skip', by: string): Promise<{ callId?: string; dnc?: boolean }> {
    const found = this.deps.dialer.previewOf(agentId);
    try {
      const result = action === 'call' ? await this.deps.dialer.callPreview(agentId) : (await this.deps.dialer.skipPreview(agentId), {});
      await this.deps.audit({ actor: by, action: `campaign.preview.${action}`, target: found?.campaign.id ?? '', detail: { agentId, contactId: found?.contact.id, ...result } });
      return result;
    } catch (error) {
      if (error instanceof PreviewRefused) throw new CampaignError(error.code, error.message);
      throw error;
    }
  }

}
