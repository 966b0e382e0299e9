// The recordings page's words in both languages, side by side; i18n/en.ts and zh-CN.ts merge every area.
export const en = {
  'recordings.title': 'Recordings',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'recordings.title': '通话录音',
};

/** Keys whose text is the same in both languages on purpose (names, symbols). */
export const sameInBoth: readonly (keyof typeof en)[] = [];
