// The administration page's tabs and who may open each: a tab shows when the user's permissions
// (GET /auth/me) let them read what it shows; its forms show when they may also change it. The
// API checks again on every request. Pure data (no React), so the navigation can ask it too.
import type { MessageKey } from '../../i18n/en.ts';

export type AdminTab = 'queues' | 'agents' | 'skills' | 'users' | 'hours' | 'prompts' | 'webhooks' | 'settings' | 'audit' | 'dispositions';

export interface TabEntry {
  tab: AdminTab;
  label: MessageKey;
  /** Every one of these is needed to open the tab. */
  read: readonly string[];
  /** Needed to change what the tab shows (otherwise it is read-only). */
  write: string;
}

export const ADMIN_TABS: readonly TabEntry[] = [
  // Queue settings list the agents serving each queue and their skills: agents.read as well, so
  // agents (who read queues for the wallboard) do not get an administration page.
  { tab: 'queues', label: 'admin.tab.queues', read: ['queues.read', 'agents.read'], write: 'queues.write' },
  { tab: 'agents', label: 'admin.tab.agents', read: ['queues.read', 'agents.read'], write: 'queues.write' },
  { tab: 'skills', label: 'admin.tab.skills', read: ['queues.read', 'agents.read'], write: 'queues.write' },
  { tab: 'users', label: 'admin.tab.users', read: ['users.read'], write: 'users.write' },
  // Business hours live in number routes and in flows' business-hours nodes.
  { tab: 'hours', label: 'admin.tab.hours', read: ['flows.read'], write: 'flows.write' },
  { tab: 'prompts', label: 'admin.tab.prompts', read: ['flows.read'], write: 'flows.write' },
  { tab: 'webhooks', label: 'admin.tab.webhooks', read: ['webhooks.read'], write: 'webhooks.write' },
  { tab: 'settings', label: 'admin.tab.settings', read: ['settings.read'], write: 'settings.write' },
  { tab: 'audit', label: 'admin.tab.audit', read: ['audit.read'], write: 'audit.read' },
  { tab: 'dispositions', label: 'dispositions.admin.tab', read: ['queues.read', 'agents.read'], write: 'queues.write' },
];

export const adminTabsFor = (permissions: readonly string[]): TabEntry[] =>
  ADMIN_TABS.filter((entry) => entry.read.every((p) => permissions.includes(p)));

/** Whether the navigation should offer the administration page at all. */
export const canOpenAdmin = (permissions: readonly string[]): boolean => adminTabsFor(permissions).length > 0;

/** The tab a path names (/admin/users → users); undefined for /admin itself or an unknown tab. */
export function tabOfPath(path: string): AdminTab | undefined {
  const name = /^\/admin\/([a-z]+)/.exec(path)?.[1];
  return ADMIN_TABS.find((entry) => entry.tab === name)?.tab;
}
