// Campaigns, their contacts and the do-not-call list in the store (section 'campaigns'). A
// contact is written before its number is dialed (the attempt and its channel id), so a restart
// knows every attempt that may have reached the network.
import { prefixRange, type Section, type Store } from '../store/store.ts';
import type { Campaign, Contact } from './campaign-types.ts';

const campaignKey = (id: string) => `c!${id}`;
const contactKey = (campaignId: string, contactId: string) => `k!${campaignId}!${contactId}`;
const dncKey = (number: string) => `dnc!${number}`;

export interface DncEntry {
  number: string;
  addedAt: number;
  by: string;
  reason?: string;
}

/** Do-not-call numbers compare without the leading + and spaces: +8613… and 8613… are one. */
export const dncForm = (number: string) => number.replace(/[^0-9]/g, '');

export class CampaignStore {
  private readonly section: Section;

  constructor(store: Store) {
    this.section = store.section('campaigns');
  }

  async campaigns(): Promise<Campaign[]> {
    const out: Campaign[] = [];
    for await (const [, value] of this.section.entries<Campaign>(prefixRange('c!'))) out.push(value);
    return out;
  }

  campaign(id: string): Promise<Campaign | undefined> {
    return this.section.get<Campaign>(campaignKey(id));
  }

  async contacts(campaignId: string): Promise<Contact[]> {
    const out: Contact[] = [];
    for await (const [, value] of this.section.entries<Contact>(prefixRange(`k!${campaignId}!`))) out.push(value);
    return out;
  }

  saveCampaign(campaign: Campaign): Promise<void> {
    return this.section.batch([{ type: 'put', key: campaignKey(campaign.id), value: campaign }]);
  }

  saveContacts(contacts: Contact[], campaign?: Campaign): Promise<void> {
    return this.section.batch([
      ...contacts.map((c) => ({ type: 'put' as const, key: contactKey(c.campaignId, c.id), value: c })),
      ...(campaign ? [{ type: 'put' as const, key: campaignKey(campaign.id), value: campaign }] : []),
    ]);
  }

  async deleteCampaign(id: string): Promise<void> {
    const contacts = await this.contacts(id);
    await this.section.batch([{ type: 'del', key: campaignKey(id) }, ...contacts.map((c) => ({ type: 'del' as const, key: contactKey(id, c.id) }))]);
  }

  async dnc(number: string): Promise<DncEntry | undefined> {
    return this.section.get<DncEntry>(dncKey(dncForm(number)));
  }

  async dncList(): Promise<DncEntry[]> {
    const out: DncEntry[] = [];
    for await (const [, value] of this.section.entries<DncEntry>(prefixRange('dnc!'))) out.push(value);
    return out;
  }

  addDnc(entries: DncEntry[]): Promise<void> {
    return this.section.batch(entries.map((e) => ({ type: 'put' as const, key: dncKey(dncForm(e.number)), value: e })));
  }

  removeDnc(number: string): Promise<void> {
    return this.section.batch([{ type: 'del', key: dncKey(dncForm(number)) }]);
  }
}
