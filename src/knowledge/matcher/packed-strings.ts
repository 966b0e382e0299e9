/**
 * Many strings in two typed arrays (UTF-16 code units and offsets), with an optional hash index
 * for lookups. A trained matcher keeps its vocabulary, question texts and article ids this way
 * so that it can move between threads as transferable buffers: a structured clone of 100k
 * separate strings costs the receiving thread a few hundred milliseconds, a transfer costs
 * nothing, and nothing needs rebuilding on arrival. Code units are copied as they are, so every
 * string (lone surrogates included) comes back exactly.
 */

export interface PackedStrings {
  /** Every string's UTF-16 code units, one after the other. */
  chars: Uint16Array;
  /** String i is chars[offsets[i] .. offsets[i + 1]). */
  offsets: Int32Array;
}

/** Open-addressing hash table over a PackedStrings: slot → string index + 1 (0 = empty). */
export interface StringIndex {
  slots: Int32Array;
}

export function packStrings(strings: readonly string[]): PackedStrings {
  const offsets = new Int32Array(strings.length + 1);
  strings.forEach((s, i) => { offsets[i + 1] = offsets[i]! + s.length; });
  const chars = new Uint16Array(offsets[strings.length]!);
  strings.forEach((s, i) => { for (let k = 0, at = offsets[i]!; k < s.length; k++) chars[at + k] = s.charCodeAt(k); });
  return { chars, offsets };
}

export const packedCount = (packed: PackedStrings) => packed.offsets.length - 1;

// String.fromCharCode takes its code units as arguments: keep each call well under engine limits.
const DECODE_CHUNK = 4096;

export function stringAt(packed: PackedStrings, i: number): string {
  const start = packed.offsets[i], end = packed.offsets[i + 1];
  if (start === undefined || end === undefined) return '';
  let out = '';
  for (let at = start; at < end; at += DECODE_CHUNK) {
    out += String.fromCharCode.apply(null, packed.chars.subarray(at, Math.min(end, at + DECODE_CHUNK)) as unknown as number[]);
  }
  return out;
}

// FNV-1a over code units: cheap, and good enough for feature strings.
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

function hashAt(packed: PackedStrings, i: number): number {
  let h = 0x811c9dc5;
  for (let at = packed.offsets[i]!, end = packed.offsets[i + 1]!; at < end; at++) h = Math.imul(h ^ packed.chars[at]!, 0x01000193);
  return h >>> 0;
}

/** A hash index of distinct strings (at most half full, so probes stay short). */
export function indexStrings(packed: PackedStrings): StringIndex {
  const count = packedCount(packed);
  let size = 2;
  while (size < count * 2) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  for (let i = 0; i < count; i++) {
    let slot = hashAt(packed, i) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = i + 1;
  }
  return { slots };
}

/** Index of `s` among the packed strings, or -1. */
export function findString(packed: PackedStrings, index: StringIndex, s: string): number {
  const mask = index.slots.length - 1;
  for (let slot = hashOf(s) & mask; ; slot = (slot + 1) & mask) {
    const entry = index.slots[slot]!;
    if (entry === 0) return -1;
    const start = packed.offsets[entry - 1]!;
    if (packed.offsets[entry]! - start !== s.length) continue;
    let k = 0;
    while (k < s.length && packed.chars[start + k] === s.charCodeAt(k)) k++;
    if (k === s.length) return entry - 1;
  }
}
