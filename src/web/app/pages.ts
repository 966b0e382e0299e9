// The pages of the UI and the permission each needs; the navigation shows only the ones the
// logged-in user's permissions (GET /auth/me) allow. The API checks again on every request.
import type { MessageKey } from './i18n/en.ts';

export interface PageEntry { path: string; label: MessageKey; permission: string }

export const PAGES: readonly PageEntry[] = [
  { path: '/wallboard', label: 'nav.wallboard', permission: 'queues.read' },
  { path: '/followups', label: 'nav.followups', permission: 'followups.read' },
];

export const pagesFor = (permissions: readonly string[]): PageEntry[] => PAGES.filter((p) => permissions.includes(p.permission));
