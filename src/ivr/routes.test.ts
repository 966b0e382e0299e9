import test from 'ava';
import { resolveRoute, validateRoutes, type Route } from './routes.ts';

const hours = { timezone: 'Asia/Shanghai', weekly: { tue: ['09:00-18:00'] } };
const routes: Route[] = [
  { number: '*', flow: 'fallback' },
  { number: '400*', flow: 'hotline' },
  { number: '4001', flow: 'exact', hours, closedFlow: 'after-hours' },
];

test('given routes, when a number is dialed, then exact beats the longest prefix beats *', (t) => {
  const open = Date.parse('2026-11-24T10:00+08:00');
  t.is(resolveRoute(routes, '4001', open), 'exact');
  t.is(resolveRoute(routes, '4002', open), 'hotline');
  t.is(resolveRoute(routes, '8888', open), 'fallback');
  t.is(resolveRoute([], '8888', open), undefined);
});

test('given a route with hours, when called outside them, then its closed flow runs', (t) => {
  t.is(resolveRoute(routes, '4001', Date.parse('2026-11-24T20:00+08:00')), 'after-hours');
});

test('given bad routes, when validated, then each problem has a path', (t) => {
  const { problems } = validateRoutes([{ number: 'no spaces', flow: 'x' }, { number: '1', flow: 'x', hours: { timezone: 'Nowhere/City', weekly: {} } }]);
  t.true(problems.some((p) => p.path.join('.') === '0.number'));
  t.true(problems.some((p) => p.path[0] === 1 && p.path[1] === 'hours'));
});
