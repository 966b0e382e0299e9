// The pages of the UI and the permission each needs; the navigation shows only the ones the
// logged-in user's permissions (GET /auth/me) allow. The API checks again on every request.
// A page owns its path and everything under it (/flows/<id>, /recordings/<id>).
import type { MessageKey } from './i18n/en.ts';
import { canOpenAdmin } from './pages/admin/tabs.ts';

export interface PageEntry {
  path: string;
  label: MessageKey;
  permission: string;
  /** When a page needs more than one permission: whether these permissions open it. */
  allowed?: (permissions: readonly string[]) => boolean;
}

export const PAGES: readonly PageEntry[] = [
  { path: '/wallboard', label: 'nav.wallboard', permission: 'queues.read' },
  { path: '/agent', label: 'nav.agent', permission: 'assist.use' },
  { path: '/flows', label: 'nav.flows', permission: 'flows.read' },
  { path: '/recordings', label: 'nav.recordings', permission: 'recordings.read' },
  { path: '/knowledge', label: 'nav.knowledge', permission: 'knowledge.read' },
  { path: '/reports', label: 'nav.reports', permission: 'reports.read' },
  { path: '/followups', label: 'nav.followups', permission: 'followups.read' },
  { path: '/campaigns', label: 'nav.campaigns', permission: 'campaigns.read' },
  { path: '/phone', label: 'nav.phone', permission: 'live.monitor' },
  // Queues, agents, skills, users, hours, prompts, webhooks, settings, audit: each tab needs its own
  // permissions (pages/admin/tabs.ts); the page shows for anyone who may read one of them.
  { path: '/admin', label: 'nav.admin', permission: 'settings.read', allowed: canOpenAdmin },
];

export const pagesFor = (permissions: readonly string[]): PageEntry[] => PAGES.filter((p) => (p.allowed ? p.allowed(permissions) : permissions.includes(p.permission)));

/** The page a path belongs to: its own path or anything under it. */
export const pageOf = (pages: readonly PageEntry[], path: string): PageEntry | undefined =>
  pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));

/** Where a user lands after login: an agent's own console, otherwise the first page they may open. */
export const startPage = (pages: readonly PageEntry[], agentId: string | undefined): string | undefined =>
  (agentId && pages.some((p) => p.path === '/agent') ? '/agent' : pages[0]?.path);
