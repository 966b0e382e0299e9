// The knowledge page's words in both languages, side by side; i18n/en.ts and zh-CN.ts merge every area.
export const en = {
  'knowledge.title': 'Knowledge',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'knowledge.title': '知识库',
};

/** Keys whose text is the same in both languages on purpose (names, symbols). */
export const sameInBoth: readonly (keyof typeof en)[] = [];
