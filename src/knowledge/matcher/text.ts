/**
 * Input hygiene for every query and training question: whatever arrives (1 MB pastes, binary,
 * lone surrogates, emoji, control characters) leaves as bounded, printable, NFKC text. Nothing
 * here compiles user text into a regex; the patterns below are fixed.
 */

/** Longer queries are cut here: a spoken question is far shorter, and cost grows with length. */
export const MAX_QUERY_CHARS = 1000;

export interface CleanText {
  text: string;
  /** The input was longer than MAX_QUERY_CHARS and was cut. */
  truncated: boolean;
  originalLength: number;
}

// C0/C1 controls, lone surrogates and the replacement character carry no meaning for matching.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanText(input: unknown, maxChars = MAX_QUERY_CHARS): CleanText {
  const raw = typeof input === 'string' ? input : '';
  // Cut before normalising so a 1 MB input never costs more than a bounded amount of work
  // (4× leaves room for NFKC to shrink compatibility characters).
  const head = raw.length > maxChars * 4 ? raw.slice(0, maxChars * 4) : raw;
  let text = head.replace(UNPRINTABLE, ' ').normalize('NFKC').replace(/\s+/g, ' ').trim();
  const truncated = raw.length > maxChars * 4 || text.length > maxChars;
  if (text.length > maxChars) text = text.slice(0, maxChars);
  return { text, truncated, originalLength: raw.length };
}

const HAN = /\p{Script=Han}/u;
/** Any Han character makes the text Chinese for our purposes (mixed "WiFi密码" included). */
export const looksChinese = (text: string) => HAN.test(text);
