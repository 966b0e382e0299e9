// The reports page's words in both languages, side by side; i18n/en.ts and zh-CN.ts merge every area.
export const en = {
  'reports.title': 'Reports',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'reports.title': '报表',
};

/** Keys whose text is the same in both languages on purpose (names, symbols). */
export const sameInBoth: readonly (keyof typeof en)[] = [];
