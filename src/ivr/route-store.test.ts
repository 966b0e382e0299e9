import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { FlowError } from './flow-store.ts';
import { RouteStore, SITE_FILE_ACTOR } from './route-store.ts';
import type { Route } from './routes.ts';

const site: Route[] = [{ number: '4000', flow: 'main' }, { number: '*', flow: 'fallback' }];

test('given a new box, when loaded, then the site file seeds the routes at revision 1', async (t) => {
  const routes = new RouteStore(new MemoryStore(), () => 100);
  const { table, replaced } = await routes.load(site);
  t.like(table, { revision: 1, updatedBy: SITE_FILE_ACTOR, updatedAt: 100 });
  t.is(replaced, undefined);
  t.is(routes.resolve('4000', 0), 'main');
  t.is(routes.resolve('5000', 0), 'fallback');
});

test('given an admin edit, when the box restarts with the same site file, then the edit stands; when the site file changes, it wins', async (t) => {
  const store = new MemoryStore();
  const first = new RouteStore(store, () => 1);
  await first.load(site);
  const saved = await first.save([{ number: '4000', flow: 'holiday' }], 1, 'alice');
  t.like(saved, { revision: 2, updatedBy: 'alice' });

  const restarted = new RouteStore(store, () => 2);
  t.like((await restarted.load(site)).table, { revision: 2, updatedBy: 'alice' });
  t.is(restarted.resolve('4000', 0), 'holiday');

  const reprovisioned = new RouteStore(store, () => 3);
  const { table, replaced } = await reprovisioned.load([{ number: '4000', flow: 'main-v2' }]);
  t.like(table, { revision: 3, updatedBy: SITE_FILE_ACTOR });
  t.like(replaced, { revision: 2, updatedBy: 'alice' });
  t.is(reprovisioned.resolve('4000', 0), 'main-v2');
});

test('given a stale revision or bad routes, when saved, then a conflict or every problem is named and nothing changes', async (t) => {
  const routes = new RouteStore(new MemoryStore(), () => 1);
  await routes.load(site);
  const stale = await t.throwsAsync(routes.save(site, 7, 'bob'), { instanceOf: FlowError });
  t.is(stale?.code, 'FLOW_CONFLICT');
  const bad = await t.throwsAsync(routes.save([{ number: '40 00', flow: 'Main!' }, 'x'], 1, 'bob'), { instanceOf: FlowError });
  t.is(bad?.code, 'FLOW_INVALID');
  t.deepEqual(bad?.problems.map((p) => p.path.join('.')).sort(), ['0.flow', '0.number', '1']);
  t.is(routes.current().revision, 1);
});

test('given two saves on one revision at once, then one wins and the other is a conflict', async (t) => {
  const routes = new RouteStore(new MemoryStore(), () => 1);
  await routes.load(site);
  const results = await Promise.allSettled([routes.save([{ number: '1', flow: 'a' }], 1, 'x'), routes.save([{ number: '2', flow: 'b' }], 1, 'y')]);
  t.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  t.is(routes.current().revision, 2);
});
