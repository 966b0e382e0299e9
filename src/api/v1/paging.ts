// Pagination, sorting and filtering of in-memory lists, the same for every resource. The cursor
// is the offset, encoded: clients treat it as opaque, so it can become a key cursor later.
import { ApiError } from './api-error.ts';

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

const encode = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

function decode(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, 'BAD_CURSOR', 'cursor is not one this API gave out', { field: 'cursor' });
  return Number(m[1]);
}

/** Sorts by `sort` ("field" ascending, "-field" descending; only `allowed` fields), then pages. */
export function paginate<T>(items: readonly T[], query: { limit: number; cursor?: string | undefined; sort?: string | undefined }, allowed: readonly (keyof T & string)[] = []): Page<T> {
  let list = [...items];
  if (query.sort) {
    const descending = query.sort.startsWith('-');
    const field = (descending ? query.sort.slice(1) : query.sort) as keyof T & string;
    if (!allowed.includes(field)) throw new ApiError(400, 'BAD_SORT', `sort by one of ${allowed.join(', ') || '(nothing)'}, with "-" for descending`, { field: 'sort' });
    list.sort((a, b) => compare(a[field], b[field], descending));
  }
  const offset = decode(query.cursor);
  const items_ = list.slice(offset, offset + query.limit);
  return { items: items_, total: list.length, nextCursor: offset + query.limit < list.length ? encode(offset + query.limit) : null };
}

/** Values in the asked order; missing ones last either way (they are not "largest"). */
function compare(a: unknown, b: unknown, descending: boolean): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  return descending ? -order : order;
}
