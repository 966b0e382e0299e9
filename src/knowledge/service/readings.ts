// A recognizer that decodes a turn with two searches hears some questions right in one and
// garbled in the other (bench faq: "going to Spain" only the knowledge-base LM, "Saturday
// mornings" only the mixed LM). Which reading is right is not known, but the matcher's calibrated
// confidence says which one it is surer of: matching every reading and keeping the surest decided
// 97 of 114 bench questions right, against 86–90 for either search alone.

/** The readings to try: the first is the recognizer's own choice; blanks and repeats dropped, at most `max`. */
export function readingsOf(text: string, alternatives: readonly string[] = [], max = 3): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const reading of [text, ...alternatives]) {
    if (typeof reading !== 'string') continue;
    const key = reading.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(reading);
    if (out.length === max) break;
  }
  return out;
}

/** The reading whose best match is the surest (ties: the earlier reading, i.e. the recognizer's choice). */
export function surestReading<A extends { matches: readonly { confidence: number }[] }>(answered: readonly { text: string; answer: A }[]): { text: string; answer: A } {
  if (!answered.length) throw new RangeError('surestReading needs at least one reading');
  let best = answered[0]!;
  for (const candidate of answered.slice(1)) {
    if ((candidate.answer.matches[0]?.confidence ?? 0) > (best.answer.matches[0]?.confidence ?? 0)) best = candidate;
  }
  return best;
}
