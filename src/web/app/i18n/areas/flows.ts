// The flows page's words in both languages, side by side; i18n/en.ts and zh-CN.ts merge every area.
export const en = {
  'flows.title': 'IVR flows',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'flows.title': '语音导航流程',
};

/** Keys whose text is the same in both languages on purpose (names, symbols). */
export const sameInBoth: readonly (keyof typeof en)[] = [];
