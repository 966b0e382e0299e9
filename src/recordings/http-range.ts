// HTTP Range (RFC 9110 §14) for one resource of known size. Browsers' audio elements seek with
// it. Only single byte ranges are served partially; a header we do not serve partially (another
// unit, bad syntax, several ranges) gets the whole file, which RFC 9110 allows.

export type RangeDecision =
  | { kind: 'full' }
  /** Inclusive byte positions, as in Content-Range. */
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const digits = /^\d+$/;

export function decideRange(header: string | undefined | null, size: number): RangeDecision {
  if (header === undefined || header === null) return { kind: 'full' };
  const match = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (!match) return { kind: 'full' };
  const specs = match[1]!.split(',').map((spec) => spec.trim());
  if (specs.length !== 1) return { kind: 'full' };
  const [first, last] = specs[0]!.split('-').map((part) => part.trim()) as [string, string | undefined];
  if (last === undefined || specs[0]!.split('-').length !== 2) return { kind: 'full' };

  if (first === '') {
    // bytes=-N: the last N bytes.
    if (!digits.test(last)) return { kind: 'full' };
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  if (!digits.test(first) || (last !== '' && !digits.test(last))) return { kind: 'full' };
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'full' }; // an invalid range-spec: the header is ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
