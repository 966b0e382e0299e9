import test from 'ava';
import { paginate } from './paging.ts';

const rows = [{ n: 2, s: 'b' }, { n: null, s: 'a' }, { n: 3, s: undefined }, { n: 1, s: 'c' }];

test('given rows with missing values, when sorted either way, then the missing ones come last', (t) => {
  t.deepEqual(paginate(rows, { limit: 10, sort: 'n' }, ['n', 's']).items.map((r) => r.n), [1, 2, 3, null]);
  t.deepEqual(paginate(rows, { limit: 10, sort: '-n' }, ['n', 's']).items.map((r) => r.n), [3, 2, 1, null]);
  t.deepEqual(paginate(rows, { limit: 10, sort: '-s' }, ['n', 's']).items.map((r) => r.s), ['c', 'b', 'a', undefined]);
});

test('given more rows than a page, when paged with the cursor, then every row comes once; a forged cursor or sort field is refused', (t) => {
  const first = paginate(rows, { limit: 3, sort: 'n' }, ['n']);
  t.is(first.total, 4);
  const second = paginate(rows, { limit: 3, sort: 'n', cursor: first.nextCursor! }, ['n']);
  t.deepEqual([...first.items, ...second.items].map((r) => r.n), [1, 2, 3, null]);
  t.is(second.nextCursor, null);
  t.throws(() => paginate(rows, { limit: 3, cursor: 'bm9wZQ' }), { message: /cursor/ });
  t.throws(() => paginate(rows, { limit: 3, sort: 'secret' }, ['n']), { message: /sort by one of n/ });
});
