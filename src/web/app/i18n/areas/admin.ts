// The admin pages' words in both languages, side by side; i18n/en.ts and zh-CN.ts merge every area.
export const en = {
  'admin.title': 'Administration',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'admin.title': '系统管理',
};

/** Keys whose text is the same in both languages on purpose (names, symbols). */
export const sameInBoth: readonly (keyof typeof en)[] = [];
